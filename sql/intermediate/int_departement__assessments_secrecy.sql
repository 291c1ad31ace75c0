-- Purpose: statistical secrecy of the départements' observed need. Primary:
-- a département with fewer respondents than the threshold (run variable
-- secrecy_threshold) is withheld; one without any is shown exactly like one
-- with a few (both NULL: no published difference between "none" and
-- "fewer than the threshold"). Secondary: France's total is published, so
-- the withheld départements must together hold at least the threshold of
-- respondents, or their sum (France minus the published départements) would
-- be a figure on fewer people. The published départements with the fewest
-- respondents are withheld too until that holds:
--   hidden = Σ respondents of primary cells; if 0 < hidden < threshold, the
--   published cells are taken in increasing size and withheld while the
--   respondents withheld before them are fewer than the threshold.
-- When France itself is withheld, every département is.
-- Grain: one row per département with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_secrecy AS
WITH cells AS (
    SELECT code_departement, respondents,
           respondents < getvariable('secrecy_threshold')
             OR (SELECT suppressed FROM int_france__assessments_secrecy) AS primary_suppressed
    FROM int_departement__assessments
    WHERE respondents > 0
), ordered AS (
    SELECT *,
           sum(CASE WHEN primary_suppressed THEN respondents ELSE 0 END) OVER () AS primary_hidden,
           coalesce(sum(respondents) OVER (ORDER BY primary_suppressed DESC, respondents, code_departement
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS hidden_before
    FROM cells
)
SELECT code_departement, respondents, primary_suppressed,
       NOT primary_suppressed AND primary_hidden > 0
           AND hidden_before < getvariable('secrecy_threshold') AS secondary_suppressed
FROM ordered;
