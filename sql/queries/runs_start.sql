-- Purpose: record a run as started. Parameters: trigger, started_at.
-- Returns the new run id.
INSERT INTO runs (run_id, trigger, started_at, status)
VALUES ((SELECT coalesce(max(run_id), 0) + 1 FROM runs), ?, ?, 'running')
RETURNING run_id;
