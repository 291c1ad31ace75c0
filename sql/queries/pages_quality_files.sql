-- Purpose: every file offered to ingest, newest attempt first, for the
-- data-quality page. sha256 and sizes are left out: the page shows what a
-- reader acts on. A refused file's error is read as its kind only: the
-- wording may hold a server path or a raw database message. Self-assessment
-- files are not listed (ingest_files_published).
SELECT file_id, kind, name, coalesce(format, '') AS format, status,
       CASE WHEN status = 'failed' THEN coalesce(error_kind, 'other') ELSE '' END AS error_kind,
       started_at, rows_read, rows_loaded, rows_rejected
FROM ingest_files_published
ORDER BY started_at DESC, file_id DESC;
