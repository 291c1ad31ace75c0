-- Purpose: record one file attempt in the ledger (loaded or failed; a failed
-- one with its error and the error's kind, ingest.FileErrorKind's code).
INSERT INTO ingest_files (file_id, kind, name, sha256, size_bytes, rows_read, rows_loaded,
                          rows_rejected, format, source, started_at, finished_at, status, error, error_kind)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
