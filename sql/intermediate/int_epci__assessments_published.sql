-- Purpose: what may be published of each EPCI's observed need: the
-- perturbed counts of an EPCI that secrecy does not withhold, else NULL (an
-- EPCI without respondents looks exactly like one with a few).
-- Grain: one row per EPCI of the reference.
CREATE OR REPLACE VIEW int_epci__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_epci, measure, published
           FROM int_assessments__perturbed WHERE level = 'epci')
    ON measure IN ('respondents' AS n, 'illectronisme')
    USING any_value(published)
), shown AS (
    SELECT code_epci
    FROM int_epci__assessments_secrecy
    WHERE NOT (primary_suppressed OR secondary_suppressed)
)
SELECT r.code_epci, c.n, c.illectronisme, c.code_epci IS NULL AS suppressed
FROM ref_epci AS r
LEFT JOIN (SELECT counts.* FROM counts JOIN shown USING (code_epci)) AS c USING (code_epci);
