-- Purpose: rejected rows counted per file, column and kind of reason
-- (ingest.RejectKind's code, e.g. not_a_number), for the data-quality page,
-- files in the order of pages_quality_files.sql, then the most frequent kinds
-- first. Neither the rejected values nor the reasons' wording are selected:
-- values may be personal data, and a reason may quote one. Rows of
-- self-assessment files are left out, like the files.
SELECT r.file_id, coalesce(r.column_name, '') AS column_name, r.kind, count(*) AS n_rows
FROM rejects AS r
JOIN ingest_files_published AS f USING (file_id)
GROUP BY r.file_id, coalesce(r.column_name, ''), r.kind
ORDER BY any_value(f.started_at) DESC NULLS LAST, r.file_id DESC, n_rows DESC,
         column_name, r.kind;
