-- Purpose: one self-assessment per source, person and time, as scored at
-- ingest (levels per area, class).
-- Grain: one row per (source, respondent_key, assessed_at); the same
-- assessment loaded again from a later file replaces the earlier one.
-- Classes (INSEE, Insee Première n°1953): illectronisme = no internet use in
-- the last 3 months, or at most 1 of the 5 areas at basic level (no basic skill
-- in at least 4 areas); capacites_faibles = 2 to 4 areas; autonome = all 5.
-- sql/tests/assert_assessments_class_consistent.sql recomputes them here.
CREATE OR REPLACE VIEW stg_assessments__responses AS
SELECT source, respondent_key, assessed_at, CAST(assessed_at AS DATE) AS assessed_on,
       code_insee, code_departement, age_band, internet_last_3_months,
       level_information, level_communication, level_content_creation,
       level_safety, level_problem_solving, areas_basic, skills_class,
       file_id, line
FROM raw_assessments
QUALIFY row_number() OVER (PARTITION BY source, respondent_key, assessed_at
                           ORDER BY file_id DESC, line DESC) = 1;

-- Purpose: the rows set aside by the deduplication above, with the row kept.
-- Grain: one row per duplicate input row.
CREATE OR REPLACE VIEW stg_assessments__duplicates AS
SELECT file_id, line, source, respondent_key, assessed_at,
       first_value(file_id) OVER w AS kept_file_id,
       first_value(line) OVER w AS kept_line
FROM raw_assessments
WINDOW w AS (PARTITION BY source, respondent_key, assessed_at ORDER BY file_id DESC, line DESC)
QUALIFY row_number() OVER w > 1;
