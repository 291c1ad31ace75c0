-- Purpose: what may be published of each commune's observed need: the
-- perturbed counts of a commune that secrecy does not withhold, else NULL
-- (a commune without respondents looks exactly like one with a few).
-- Grain: one row per current commune of the reference.
CREATE OR REPLACE VIEW int_commune__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_insee, measure, published
           FROM int_assessments__perturbed WHERE level = 'commune')
    ON measure IN ('respondents' AS n, 'illectronisme')
    USING any_value(published)
), shown AS (
    SELECT code_insee
    FROM int_commune__assessments_secrecy
    WHERE code_insee IS NOT NULL AND NOT (primary_suppressed OR secondary_suppressed)
)
SELECT r.code_insee, c.n, c.illectronisme, c.code_insee IS NULL AS suppressed
FROM ref_communes AS r
LEFT JOIN (SELECT counts.* FROM counts JOIN shown USING (code_insee)) AS c USING (code_insee);
