-- Purpose: the run history, newest first (illectro runs, and the report).
SELECT run_id, trigger, strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS started,
       coalesce(strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), '') AS finished,
       status, coalesce(error, '') AS error,
       coalesce(files_loaded, 0), coalesce(files_refused, 0),
       coalesce(rows_loaded, 0), coalesce(rows_rejected, 0), coalesce(release, '')
FROM runs
ORDER BY run_id DESC
LIMIT ?;
