-- Purpose: one self-assessment per person and date, scored into the INSEE classes.
-- Grain: one row per (respondent_key, assessed_on); a row loaded again from a
-- later file replaces the earlier one.
-- Classes (INSEE, Insee Première n°1953): an area counts when its level is at
-- least basic (1). illectronisme = no internet use in the last 3 months, or at
-- most 1 of the 5 areas at basic level (no basic skill in at least 4 areas);
-- capacites_faibles = 2 to 4 areas (missing 1 to 3); autonome = all 5 areas.
CREATE OR REPLACE VIEW stg_assessments__responses AS
WITH ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY respondent_key, assessed_on
                              ORDER BY file_id DESC, line DESC) AS rn
    FROM raw_assessments
), scored AS (
    SELECT respondent_key, assessed_on, code_insee, code_departement, age_band,
           internet_last_3_months,
           level_information, level_communication, level_content_creation,
           level_safety, level_problem_solving,
           (level_information >= 1)::INTEGER + (level_communication >= 1)::INTEGER
             + (level_content_creation >= 1)::INTEGER + (level_safety >= 1)::INTEGER
             + (level_problem_solving >= 1)::INTEGER AS areas_basic
    FROM ranked
    WHERE rn = 1
)
SELECT *,
       CASE
           WHEN NOT internet_last_3_months OR areas_basic <= 1 THEN 'illectronisme'
           WHEN areas_basic < 5 THEN 'capacites_faibles'
           ELSE 'autonome'
       END AS skills_class
FROM scored;
