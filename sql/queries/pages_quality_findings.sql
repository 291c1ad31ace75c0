-- Purpose: quality findings on loaded rows counted per file, kind and
-- département, for the data-quality page, files in the order of
-- pages_quality_files.sql. The département is the one the row was placed in:
-- venues only (raw_venues by file and line); '' for the other kinds of rows.
-- Findings on self-assessment files are left out, like the files.
WITH venue_lines AS (
    SELECT file_id, line, any_value(code_departement) AS code_departement
    FROM raw_venues
    WHERE file_id IN (SELECT file_id FROM quality_findings)
    GROUP BY file_id, line
)
SELECT q.file_id, q.kind, coalesce(v.code_departement, '') AS code_departement, count(*) AS n_rows
FROM quality_findings AS q
LEFT JOIN venue_lines AS v USING (file_id, line)
JOIN ingest_files_published AS f USING (file_id)
GROUP BY q.file_id, q.kind, v.code_departement
ORDER BY any_value(f.started_at) DESC NULLS LAST, q.file_id DESC, q.kind, code_departement;
