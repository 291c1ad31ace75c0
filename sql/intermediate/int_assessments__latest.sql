-- Purpose: each respondent's most recent self-assessment, so that a person who
-- took the diagnostic twice counts once, with their latest result. Respondent
-- ids are only unique within a source.
-- Grain: one row per (source, respondent_key).
-- A table, rebuilt with the views in the same transaction, not a view: every
-- count of respondents reads it, and at national scale (10 M rows) ranking
-- the rows once per build instead of once per reader is most of what keeps a
-- run within a minute (BENCHMARKS.md). It ranks raw_assessments directly, in
-- one window: the latest assessment, then the latest file and line, is also
-- the row stg_assessments__responses keeps for that time, so going through
-- that view would only rank twice. Vocabularies stay ENUMs, as stored;
-- aggregates cast them to VARCHAR.
-- It replaces the view int_assessments__latest_per_respondent of earlier
-- versions (a view cannot be replaced by a table of the same name).
DROP VIEW IF EXISTS int_assessments__latest_per_respondent;

CREATE OR REPLACE TABLE int_assessments__latest AS
SELECT f.source, a.respondent_key, a.assessed_at, a.code_insee, a.code_departement,
       a.age_band, a.internet_last_3_months,
       a.level_information, a.level_communication, a.level_content_creation,
       a.level_safety, a.level_problem_solving, a.areas_basic, a.skills_class,
       a.file_id, a.line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
QUALIFY row_number() OVER (PARTITION BY f.source, a.respondent_key
                           ORDER BY a.assessed_at DESC, a.file_id DESC, a.line DESC) = 1;
