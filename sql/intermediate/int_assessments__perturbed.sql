-- Purpose: every count of self-assessments that the marts publish, with its
-- noise of the cell-key method: per level (france, departement,
-- departement_age: a département's age band, epci, commune), territory and
-- measure, the true count x, the cell key (the sum of the cell's record keys
-- modulo 2^14), the noise read from ref_perturbation_table at (x, cell key),
-- and the published count x + noise. Respondent counts below the secrecy
-- threshold have no row in the table: their published count is NULL, and
-- they are never published. The marts read `published`, never x, for
-- anything they show; x stays here for the secrecy rules, which decide on
-- the true counts.
-- The same respondents give the same cell key, so the same noise, in every
-- run; a cell's noise changes, unpredictably, when one respondent joins,
-- leaves or changes answers. The noise of a count of 0 is 0, and a count
-- never goes below 0 (respondents: below the threshold).
-- Grain: one row per (level, code, age_band, measure); code is 'FR', the
-- département's, the EPCI's (SIREN) or the commune's code; age_band '' except
-- at departement_age; EPCI and communes carry respondents and illectronisme
-- only (what mart_epci and mart_commune show), and only known communes (an
-- EPCI's code_departement is NULL: it may straddle départements).
CREATE OR REPLACE TABLE int_assessments__perturbed AS
WITH cells AS (
    SELECT 'france' AS level, 'FR' AS code, CAST(NULL AS VARCHAR) AS code_departement, '' AS age_band,
           measure, sum(x) AS x, sum(cell_key) % 16384 AS cell_key
    FROM int_assessments__cells
    GROUP BY measure
    UNION ALL
    SELECT 'departement', code_departement, code_departement, '', measure, sum(x), sum(cell_key) % 16384
    FROM int_assessments__cells
    GROUP BY code_departement, measure
    UNION ALL
    SELECT 'departement_age', code_departement, code_departement, age_band, measure, sum(x), sum(cell_key) % 16384
    FROM int_assessments__cells
    GROUP BY code_departement, age_band, measure
    UNION ALL
    SELECT 'epci', e.code_epci, CAST(NULL AS VARCHAR), '', c.measure, sum(c.x), sum(c.cell_key) % 16384
    FROM int_assessments__cells AS c
    JOIN ref_commune_epci AS e USING (code_insee)
    WHERE e.code_epci IS NOT NULL AND c.measure IN ('respondents', 'illectronisme')
    GROUP BY e.code_epci, c.measure
    UNION ALL
    SELECT 'commune', code_insee, any_value(code_departement), '', measure, sum(x), sum(cell_key) % 16384
    FROM int_assessments__cells
    WHERE code_insee IS NOT NULL AND measure IN ('respondents', 'illectronisme')
    GROUP BY code_insee, measure
), bounds AS (
    SELECT ptable, max(count) AS last_count FROM ref_perturbation_table GROUP BY ptable
)
SELECT c.level, c.code, c.code_departement, c.age_band, c.measure,
       CAST(c.x AS BIGINT) AS x,
       CAST(c.cell_key AS INTEGER) AS cell_key,
       p.noise,
       CAST(c.x + p.noise AS BIGINT) AS published
FROM cells AS c
JOIN bounds AS b ON b.ptable = CASE WHEN c.measure = 'respondents' THEN 'respondents' ELSE 'measure' END
LEFT JOIN ref_perturbation_table AS p
       ON p.ptable = b.ptable
      AND p.count = least(c.x, b.last_count)
      AND c.cell_key >= p.key_low AND c.cell_key < p.key_high;
