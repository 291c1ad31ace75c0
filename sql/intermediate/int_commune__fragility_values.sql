-- Purpose: the fragility indicators of each current commune, each oriented so
-- that higher means more fragile, in the spirit of the public "indice de
-- fragilité numérique" (IFN): access to networks and to help, and the
-- socio-demographic factors of exclusion.
--   connectivity   share of premises not eligible to 30 Mbit/s (ARCEP, latest period)
--   venue_distance km, great-circle, from the commune's centroids (weighted by
--                  their census 2021 population) to the nearest France
--                  Services site (int_commune__venue_distance)
--   aged_65_plus, no_diploma, poverty, living_alone, single_parent,
--   jobseekers     rates of the socio-demographic file (IFN inputs;
--                  no_diploma is the share with at most a CAP or BEP,
--                  poverty the share of low-income tax households)
-- Coverage: an indicator known in fewer than 90 % of the communes is filled,
-- in a commune without it, with its département's mean (weighted by
-- population, over the communes that have it) when those communes hold at
-- least half of the département's population; if it still covers fewer than
-- 90 % of the communes, it is left out of the index (its weight counts for
-- nothing): int_reference__fragility_coverage says which.
-- Grain: one row per (commune, indicator) with a value, for the indicators kept.
CREATE OR REPLACE VIEW int_commune__fragility_values AS
WITH wide AS (
    SELECT r.code_insee, r.code_departement, r.population_municipale AS population,
           CASE WHEN c.premises > 0 THEN 1 - c.premises_ge_30mbps / c.premises END AS connectivity,
           a.km AS venue_distance,
           s.aged_65_plus, s.no_diploma_15_plus AS no_diploma, s.poverty_rate AS poverty,
           s.living_alone, s.single_parent, s.jobseekers
    FROM ref_communes AS r
    LEFT JOIN int_coverage__latest AS c USING (code_insee)
    LEFT JOIN int_commune__venue_distance AS a ON a.code_insee = r.code_insee AND a.venue_group = 'France Services'
    LEFT JOIN stg_socio__communes AS s USING (code_insee)
), long AS (
    SELECT code_insee, code_departement, population, indicator, CAST(value AS DOUBLE) AS value
    FROM wide UNPIVOT INCLUDE NULLS (
        value FOR indicator IN (connectivity, venue_distance, aged_65_plus, no_diploma, poverty,
                                living_alone, single_parent, jobseekers))
), own AS (
    SELECT indicator, count(value) / count(*) AS coverage FROM long GROUP BY indicator
), departements AS (
    SELECT indicator, code_departement,
           sum(value * population) FILTER (WHERE value IS NOT NULL)
             / nullif(sum(population) FILTER (WHERE value IS NOT NULL), 0) AS mean,
           coalesce(sum(population) FILTER (WHERE value IS NOT NULL) / nullif(sum(population), 0), 0) AS population_covered
    FROM long
    GROUP BY indicator, code_departement
)
SELECT l.code_insee, l.population, l.indicator,
       CASE WHEN l.value IS NOT NULL THEN l.value
            WHEN o.coverage < 0.9 AND d.population_covered >= 0.5 THEN d.mean END AS value,
       CASE WHEN l.value IS NOT NULL THEN 'commune'
            WHEN o.coverage < 0.9 AND d.population_covered >= 0.5 THEN 'departement' END AS source
FROM long AS l
JOIN own AS o USING (indicator)
LEFT JOIN departements AS d USING (indicator, code_departement);
