-- Purpose: how fresh each kind of input is: its newest loaded file and when
-- it was loaded. Self-assessments: the day only, without the file's name
-- or the number of files (see ingest_files_published).
SELECT kind,
       CASE WHEN kind <> 'assessments' THEN count(*) END AS files,
       CASE WHEN kind <> 'assessments' THEN arg_max(name, finished_at) END AS latest_file,
       CASE WHEN kind <> 'assessments' THEN max(finished_at)
            ELSE CAST(CAST(max(finished_at) AT TIME ZONE 'UTC' AS DATE) AS TIMESTAMP) AT TIME ZONE 'UTC' END AS latest_loaded
FROM ingest_files
WHERE status = 'loaded'
GROUP BY kind
ORDER BY kind;
