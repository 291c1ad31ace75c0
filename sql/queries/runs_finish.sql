-- Purpose: record how a run ended.
-- Parameters: finished_at, status, error, files_loaded, files_refused,
-- rows_loaded, rows_rejected, release, run_id.
UPDATE runs
SET finished_at = ?, status = ?, error = ?, files_loaded = ?, files_refused = ?,
    rows_loaded = ?, rows_rejected = ?, release = ?
WHERE run_id = ?;
