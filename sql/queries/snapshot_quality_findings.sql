-- Purpose: the quality findings of loaded rows counted per file, kind and
-- département, as the data-quality page shows them: what a snapshot holds
-- instead of quality_findings, whose details quote raw values.
-- The département is the one the row was placed in: venues only (raw_venues
-- by file and line); '' for the other kinds of rows.
-- Grain: one row per (file_id, kind, code_departement).
WITH venue_lines AS (
    SELECT file_id, line, any_value(code_departement) AS code_departement
    FROM raw_venues
    WHERE file_id IN (SELECT file_id FROM quality_findings)
    GROUP BY file_id, line
)
SELECT q.file_id, q.kind, coalesce(v.code_departement, '') AS code_departement, count(*) AS n_rows
FROM quality_findings AS q
LEFT JOIN venue_lines AS v USING (file_id, line)
GROUP BY q.file_id, q.kind, v.code_departement
ORDER BY q.file_id, q.kind, code_departement
