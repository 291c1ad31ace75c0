-- Secondary suppression holds: subtracting the published cells from a
-- published (or knowable) total gives the respondents of the withheld cells
-- taken together, and that aggregate is either empty or rests on at least the
-- secrecy threshold. Checked for the départements within France (whose total
-- is knowable) and for the communes within each published département
-- (respondents with an unknown commune count as withheld).
WITH france AS (
    SELECT 'France' AS parent,
           (SELECT coalesce(sum(respondents), 0) FROM int_departement__assessments)
             - (SELECT coalesce(sum(assessments_respondents), 0) FROM mart_departement) AS withheld
), departements AS (
    SELECT d.code_departement AS parent,
           d.assessments_respondents - coalesce(sum(c.assessments_respondents), 0) AS withheld
    FROM mart_departement AS d
    LEFT JOIN mart_commune AS c USING (code_departement)
    WHERE d.assessments_respondents IS NOT NULL
    GROUP BY d.code_departement, d.assessments_respondents
)
SELECT parent, withheld
FROM (SELECT * FROM france UNION ALL SELECT * FROM departements)
WHERE withheld > 0 AND withheld < getvariable('secrecy_threshold');
