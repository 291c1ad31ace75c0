-- Purpose: record how a run ended.
-- Parameters: finished_at, status, error, error_kind (pipeline.RunErrorKind's
-- code, NULL unless failed), files_loaded, files_refused, rows_loaded,
-- rows_rejected, release, fingerprint, run_id.
UPDATE runs
SET finished_at = ?, status = ?, error = ?, error_kind = ?, files_loaded = ?, files_refused = ?,
    rows_loaded = ?, rows_rejected = ?, release = ?, fingerprint = ?
WHERE run_id = ?;
