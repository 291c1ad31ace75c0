-- Purpose: statistical secrecy of the communes' observed need, protected
-- jointly with the départements': a commune of a withheld département is
-- withheld whatever its size (else France − published départements −
-- published communes of the withheld ones would isolate the small ones);
-- inside a published département, the same rule as above (its total is
-- published): the cell of respondents with an unknown commune is never
-- published, so it counts as withheld from the start. With every published
-- commune inside a published département and every published département
-- inside France, the cells withheld under any published total add up to 0
-- or to at least the threshold, at every level: no combination of
-- published totals isolates fewer respondents (and the perturbation of
-- int_assessments__perturbed blurs every difference anyway).
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments_secrecy AS
WITH cells AS (
    SELECT c.code_departement, c.code_insee, c.respondents,
           c.code_insee IS NULL OR c.respondents < getvariable('secrecy_threshold')
             OR d.primary_suppressed OR d.secondary_suppressed AS primary_suppressed
    FROM int_commune__assessments AS c
    JOIN int_departement__assessments_secrecy AS d USING (code_departement)
), ordered AS (
    SELECT *,
           sum(CASE WHEN primary_suppressed THEN respondents ELSE 0 END)
               OVER (PARTITION BY code_departement) AS primary_hidden,
           coalesce(sum(respondents) OVER (PARTITION BY code_departement
                                           ORDER BY primary_suppressed DESC, respondents, code_insee NULLS FIRST
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS hidden_before
    FROM cells
)
SELECT code_departement, code_insee, respondents, primary_suppressed,
       NOT primary_suppressed AND primary_hidden > 0
           AND hidden_before < getvariable('secrecy_threshold') AS secondary_suppressed
FROM ordered;
