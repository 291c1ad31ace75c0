-- Purpose: one self-assessment per source, person and time, as scored at
-- ingest (levels per area, class).
-- Grain: one row per (source, respondent_key, assessed_at); the same
-- assessment loaded again from a later file replaces the earlier one.
-- Classes (INSEE, Insee Première n°1953): illectronisme = no internet use in
-- the last 3 months, or at most 1 of the 5 areas at basic level (no basic skill
-- in at least 4 areas); capacites_faibles = 2 to 4 areas; autonome = all 5.
-- sql/tests/assert_assessments_class_consistent.sql recomputes them here.
CREATE OR REPLACE VIEW stg_assessments__responses AS
SELECT f.source, a.respondent_key, a.assessed_at, CAST(a.assessed_at AS DATE) AS assessed_on,
       a.code_insee, CAST(a.code_departement AS VARCHAR) AS code_departement,
       CAST(a.age_band AS VARCHAR) AS age_band, a.internet_last_3_months,
       a.level_information, a.level_communication, a.level_content_creation,
       a.level_safety, a.level_problem_solving, a.areas_basic,
       CAST(a.skills_class AS VARCHAR) AS skills_class,
       a.file_id, a.line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
QUALIFY row_number() OVER (PARTITION BY f.source, a.respondent_key, a.assessed_at
                           ORDER BY a.file_id DESC, a.line DESC) = 1;
