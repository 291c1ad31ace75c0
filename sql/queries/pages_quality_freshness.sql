-- Purpose: how fresh each kind of input is: its newest loaded file and when
-- it was loaded.
SELECT kind, count(*) AS files,
       arg_max(name, finished_at) AS latest_file,
       max(finished_at) AS latest_loaded
FROM ingest_files
WHERE status = 'loaded'
GROUP BY kind
ORDER BY kind;
