-- Purpose: the loaded input files no ref_sources row credits (dropped in the
-- inbox or downloaded from a configured source), for the sources block of
-- every page: per kind, the files' names (none for self-assessments, which
-- are never named: statistical secrecy), how many, and the day of the newest
-- load (UTC).
-- Grain: one row per kind with such files.
SELECT kind,
       CASE WHEN kind = 'assessments' THEN [] ELSE list(name ORDER BY finished_at DESC, name) END AS names,
       count(*) AS n_files,
       strftime(max(finished_at) AT TIME ZONE 'UTC', '%Y-%m-%d') AS loaded_on
FROM ingest_files
WHERE status = 'loaded'
  AND name NOT IN (SELECT file_name FROM ref_sources WHERE file_name IS NOT NULL)
GROUP BY kind
ORDER BY kind;
