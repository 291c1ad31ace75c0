-- Purpose: the loads left unfinished since a time (a dead run's start):
-- what the run was loading when its process died. Parameter: started_at.
SELECT kind, name FROM ingest_attempts
WHERE finished_at IS NULL AND started_at >= ? ORDER BY started_at DESC LIMIT 1;
