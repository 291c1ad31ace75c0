-- Purpose: record one file attempt in the ledger (loaded or failed).
INSERT INTO ingest_files (file_id, kind, name, sha256, size_bytes, rows_read, rows_loaded,
                          rows_rejected, format, source, started_at, finished_at, status, error)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
