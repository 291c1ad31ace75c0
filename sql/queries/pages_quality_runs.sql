-- Purpose: the latest finished runs, newest first, for the data-quality page,
-- counted without the self-assessment files (runs_published). A failed run's
-- error is read as its kind only: the wording may hold a server path or a
-- raw database message.
SELECT run_id, trigger, started_at, finished_at, status,
       CASE WHEN status = 'failed' THEN coalesce(error_kind, 'other') ELSE '' END AS error_kind,
       coalesce(files_loaded, 0), coalesce(rows_loaded, 0), coalesce(rows_rejected, 0), coalesce(release, '')
FROM runs_published
WHERE status <> 'running'
ORDER BY run_id DESC
LIMIT 10;
