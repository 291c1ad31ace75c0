-- Purpose: rejected rows counted per file, column and reason, for the
-- data-quality page, files in the order of pages_quality_files.sql, then the
-- most frequent reasons first. The rejected values are never selected: they
-- may be personal data. Some reasons quote the value (a postal code lookup
-- error reads 'lookup "59999": not a postal code …'): the quoted part is
-- dropped, which also counts such rows under one reason. Rows of
-- self-assessment files are left out, like the files.
WITH r AS (
    SELECT file_id, coalesce(column_name, '') AS column_name,
           regexp_replace(regexp_replace(reason, '^(lookup|resolve) "[^"]*": ', ''),
                          '"[^"]*"', '"…"', 'g') AS reason
    FROM rejects
)
SELECT r.file_id, r.column_name, r.reason, count(*) AS n_rows
FROM r
JOIN ingest_files_published AS f USING (file_id)
GROUP BY r.file_id, r.column_name, r.reason
ORDER BY any_value(f.started_at) DESC NULLS LAST, r.file_id DESC, n_rows DESC,
         r.column_name, r.reason;
