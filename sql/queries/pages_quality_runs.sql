-- Purpose: the latest finished runs, newest first, for the data-quality page,
-- counted without the self-assessment files (runs_published).
SELECT run_id, trigger, started_at, finished_at, status, coalesce(error, ''),
       coalesce(files_loaded, 0), coalesce(rows_loaded, 0), coalesce(rows_rejected, 0), coalesce(release, '')
FROM runs_published
WHERE status <> 'running'
ORDER BY run_id DESC
LIMIT 10;
