-- Purpose: has a file with these bytes already been loaded for this kind?
SELECT file_id, name, rows_read, rows_loaded, rows_rejected, format
FROM ingest_files
WHERE kind = ? AND sha256 = ? AND status = 'loaded'
LIMIT 1;
