-- Purpose: what may be published of each département's observed need: the
-- perturbed counts (int_assessments__perturbed) of a département that
-- secrecy does not withhold, else NULL; 'primary' for a département with
-- fewer respondents than the threshold, none included, 'secondary' for one
-- withheld to protect them.
-- Grain: one row per département of the reference.
CREATE OR REPLACE VIEW int_departement__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_departement, measure, published
           FROM int_assessments__perturbed WHERE level = 'departement')
    ON measure IN ('respondents' AS n, 'illectronisme', 'capacites_faibles', 'autonome',
                   'no_basic_information', 'no_basic_communication', 'no_basic_content_creation',
                   'no_basic_safety', 'no_basic_problem_solving')
    USING any_value(published)
), status AS (
    SELECT d.code_departement,
           CASE WHEN s.secondary_suppressed THEN 'secondary'
                WHEN s.primary_suppressed OR s.code_departement IS NULL THEN 'primary' END AS suppression
    FROM ref_departements AS d
    LEFT JOIN int_departement__assessments_secrecy AS s USING (code_departement)
)
SELECT s.code_departement, s.suppression,
       c.* EXCLUDE (code_departement)
FROM status AS s
LEFT JOIN counts AS c ON c.code_departement = s.code_departement AND s.suppression IS NULL;
