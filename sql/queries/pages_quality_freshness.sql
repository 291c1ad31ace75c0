-- Purpose: how fresh each kind of input is: its newest loaded file, when it
-- was loaded, and the vintage of its data (millésime, from ref_sources for a
-- bundled sample; '' for a file of the inbox or of a remote source, which
-- declares none). Self-assessments: the day only, without the file's name
-- or the number of files (see ingest_files_published).
WITH latest AS (
    SELECT kind, count(*) AS n_files, arg_max(name, finished_at) AS name, max(finished_at) AS loaded
    FROM ingest_files
    WHERE status = 'loaded'
    GROUP BY kind
)
SELECT l.kind,
       CASE WHEN l.kind <> 'assessments' THEN l.n_files END AS files,
       CASE WHEN l.kind <> 'assessments' THEN l.name END AS latest_file,
       CASE WHEN l.kind <> 'assessments' THEN l.loaded
            ELSE CAST(CAST(l.loaded AT TIME ZONE 'UTC' AS DATE) AS TIMESTAMP) AT TIME ZONE 'UTC' END AS latest_loaded,
       coalesce(s.vintage, '') AS vintage
FROM latest AS l
LEFT JOIN ref_sources AS s ON s.file_name = l.name
ORDER BY l.kind;
