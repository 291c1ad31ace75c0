-- Views of the raw ledgers, recreated on every open, so that the pages and
-- the snapshot have them whether or not the marts were built.
-- Purpose: the ingest ledger as it may be published (data-quality page and
-- analysts' snapshot): every file but the self-assessment files. A small
-- assessment file's name, SHA-256, size and row counts are enough to rebuild
-- its rows by brute force (a 3-row file: 768 000 candidates, seconds), so
-- they stay in the working database, for operators.
-- Grain: one row per file attempt, as ingest_files.
CREATE OR REPLACE VIEW ingest_files_published AS
SELECT *
FROM ingest_files
WHERE kind <> 'assessments';

-- Purpose: the run ledger as it may be published: the counts of files and
-- rows of each run recomputed without the self-assessment files (the files
-- of the published ledger whose load started during the run), no
-- fingerprint (a SHA-256 over the whole ledger, assessment files' hashes
-- included: a target for the same brute force), and an error that names a
-- self-assessment file replaced by a neutral sentence.
-- Written as r.* REPLACE, so that it carries the columns migrations add to
-- runs (error_kind since migration 007): raw/ is applied before the
-- migrations, and again after them (sql/migrate.go).
-- Grain: one row per run, as runs.
CREATE OR REPLACE VIEW runs_published AS
SELECT r.* REPLACE (
       CASE WHEN EXISTS (SELECT 1 FROM ingest_files AS f
                         WHERE f.kind = 'assessments' AND contains(r.error, f.name))
            THEN 'failed on a self-assessment file (details in the working database)'
            ELSE r.error END AS error,
       CASE WHEN r.files_loaded IS NOT NULL THEN CAST(coalesce(f.files_loaded, 0) AS INTEGER) END AS files_loaded,
       CASE WHEN r.files_refused IS NOT NULL THEN CAST(coalesce(f.files_refused, 0) AS INTEGER) END AS files_refused,
       CASE WHEN r.rows_loaded IS NOT NULL THEN CAST(coalesce(f.rows_loaded, 0) AS BIGINT) END AS rows_loaded,
       CASE WHEN r.rows_rejected IS NOT NULL THEN CAST(coalesce(f.rows_rejected, 0) AS BIGINT) END AS rows_rejected,
       CAST(NULL AS VARCHAR) AS fingerprint)
FROM runs AS r
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status = 'loaded') AS files_loaded,
           count(*) FILTER (WHERE status = 'failed') AS files_refused,
           sum(rows_loaded) FILTER (WHERE status = 'loaded') AS rows_loaded,
           sum(rows_rejected) FILTER (WHERE status = 'loaded') AS rows_rejected
    FROM ingest_files_published AS p
    WHERE p.started_at >= r.started_at AND p.started_at <= coalesce(r.finished_at, now())
) AS f ON true;
