-- Purpose: each respondent's most recent self-assessment, so that a person who
-- took the diagnostic twice counts once, with their latest result. Respondent
-- ids are only unique within a source.
-- Grain: one row per (source, respondent_key).
-- The latest row of a respondent is the one with the latest assessed_at, then
-- the highest file_id, then the highest line (so also the row
-- stg_assessments__responses keeps for that time). Ingest records every other
-- row in raw_assessments_superseded, in the transaction of the file that
-- supersedes it (migration 009): this view only leaves those out, a hash
-- anti-join on a small table (ANTI JOIN: DuckDB may plan a NOT EXISTS as a
-- delim join that groups every row), instead of ranking every respondent in
-- one window at each build (about 10 s and 1 GiB at 10 M rows, BENCHMARKS.md).
-- Vocabularies stay ENUMs, as stored; aggregates cast them to VARCHAR.
-- It replaces the view int_assessments__latest_per_respondent of earlier
-- versions.
DROP VIEW IF EXISTS int_assessments__latest_per_respondent;

CREATE OR REPLACE VIEW int_assessments__latest AS
SELECT f.source, a.respondent_key, a.assessed_at, a.code_insee, a.code_departement,
       a.age_band, a.internet_last_3_months,
       a.level_information, a.level_communication, a.level_content_creation,
       a.level_safety, a.level_problem_solving, a.areas_basic, a.skills_class,
       a.file_id, a.line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
ANTI JOIN raw_assessments_superseded AS s USING (file_id, line);
