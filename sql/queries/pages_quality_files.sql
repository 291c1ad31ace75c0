-- Purpose: every file offered to ingest, newest attempt first, for the
-- data-quality page. sha256 and sizes are left out: the page shows what a
-- reader acts on. Self-assessment files are not listed
-- (ingest_files_published).
SELECT file_id, kind, name, coalesce(format, '') AS format, status, coalesce(error, '') AS error,
       started_at, rows_read, rows_loaded, rows_rejected
FROM ingest_files_published
ORDER BY started_at DESC, file_id DESC;
