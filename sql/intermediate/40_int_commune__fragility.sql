-- Purpose: the distance from each current commune to the nearest venue of
-- a group: its centroids' distances (diag_centroid_access), weighted by
-- their census 2021 population (plain mean when one has none). Only where
-- the group's inputs cover the département, as listings are loaded per
-- territory:
--   all              every venue loaded; départements with venues loaded
--   France Services  the sites of the lists of France Services sites, the
--                    national network listed in every département, so that
--                    distances compare across départements (with the other
--                    listings, the départements that loaded one would look
--                    better served); départements where such a list places
--                    a site
-- Grain: one row per (current commune, group) with a distance.
CREATE OR REPLACE VIEW int_commune__venue_distance AS
SELECT code_insee, venue_group,
       CASE WHEN bool_and(population_2021 > 0)
            THEN sum(distance_km * population_2021) / sum(population_2021)
            ELSE avg(distance_km) END AS km
FROM diag_centroid_access
WHERE (venue_group = 'all' AND code_departement IN (SELECT code_departement FROM int_departement__venues))
   OR (venue_group = 'France Services' AND code_departement IN (SELECT code_departement FROM int_departement__france_services))
GROUP BY code_insee, venue_group;

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

-- Purpose: the coverage of each fragility indicator: the share of communes
-- with their own value, with a value once filled from their département, and
-- whether the indicator is kept in the index (at least 90 % once filled).
-- Grain: one row per indicator (8 rows).
CREATE OR REPLACE VIEW int_reference__fragility_coverage AS
SELECT indicator,
       count(value) FILTER (WHERE source = 'commune') / count(*) AS commune_coverage,
       count(value) / count(*) AS filled_coverage,
       count(value) / count(*) >= 0.9 AS kept
FROM int_commune__fragility_values
GROUP BY indicator;

CREATE OR REPLACE VIEW int_commune__fragility_indicators AS
SELECT v.code_insee, v.population, v.indicator, v.value, v.source
FROM int_commune__fragility_values AS v
JOIN int_reference__fragility_coverage AS c USING (indicator)
WHERE c.kept AND v.value IS NOT NULL;

-- Purpose: each indicator ranked on the national distribution of communes
-- into deciles 1 (least fragile) to 10 (most fragile), weighted by
-- population: a decile holds a tenth of the people, not of the communes, so
-- that thousands of villages do not crowd a city into one decile. Ties share
-- the decile of the middle of their people, so the result does not depend
-- on row order:
--   decile = 1 + floor(10 × (people below + people tied ÷ 2) ÷ people), at most 10
-- Grain: one row per (commune, indicator) with a value.
CREATE OR REPLACE VIEW int_commune__fragility_deciles AS
SELECT code_insee, indicator, value, source,
       CAST(least(10, 1 + floor(10 * (sum(population) OVER (PARTITION BY indicator ORDER BY value
                                                             RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                                      - sum(population) OVER (PARTITION BY indicator, value) / 2)
                                 / sum(population) OVER (PARTITION BY indicator))) AS INTEGER) AS decile
FROM int_commune__fragility_indicators;
