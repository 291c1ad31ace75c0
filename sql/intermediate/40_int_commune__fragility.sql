-- Purpose: the distance from each current commune to the nearest venue
-- loaded: its centroids' distances (diag_centroid_access), weighted by their
-- census 2021 population (plain mean when one has none). Only in
-- départements with venues loaded: listings are loaded per territory.
-- Grain: one row per current commune with a distance.
CREATE OR REPLACE VIEW int_commune__venue_distance AS
SELECT code_insee,
       CASE WHEN bool_and(population_2021 > 0)
            THEN sum(distance_km * population_2021) / sum(population_2021)
            ELSE avg(distance_km) END AS km
FROM diag_centroid_access
WHERE venue_group = 'all'
  AND code_departement IN (SELECT code_departement FROM int_departement__venues)
GROUP BY code_insee;

-- Purpose: the fragility indicators of each current commune, each oriented so
-- that higher means more fragile, in the spirit of the public "indice de
-- fragilité numérique" (IFN): access to networks and to help, and the
-- socio-demographic factors of exclusion.
--   connectivity   share of premises not eligible to 30 Mbit/s (ARCEP, latest period)
--   venue_distance km, great-circle, from the commune's centroids (weighted by
--                  their census 2021 population) to the nearest venue loaded;
--                  only in départements with venues loaded (listings are
--                  loaded per territory)
--   aged_65_plus, no_diploma, poverty, living_alone, single_parent,
--   jobseekers     rates of the socio-demographic file (IFN inputs)
-- A commune without a value for an indicator has no row for it.
-- Grain: one row per (commune, indicator) with a value.
CREATE OR REPLACE VIEW int_commune__fragility_indicators AS
WITH access AS (
    SELECT code_insee, km AS venue_distance FROM int_commune__venue_distance
), wide AS (
    SELECT r.code_insee,
           CASE WHEN c.premises > 0 THEN 1 - c.premises_ge_30mbps / c.premises END AS connectivity,
           a.venue_distance,
           s.aged_65_plus, s.no_diploma_15_plus AS no_diploma, s.poverty_rate AS poverty,
           s.living_alone, s.single_parent, s.jobseekers
    FROM ref_communes AS r
    LEFT JOIN int_coverage__latest AS c USING (code_insee)
    LEFT JOIN access AS a USING (code_insee)
    LEFT JOIN stg_socio__communes AS s USING (code_insee)
)
SELECT code_insee, indicator, CAST(value AS DOUBLE) AS value
FROM (UNPIVOT wide
      ON connectivity, venue_distance, aged_65_plus, no_diploma, poverty, living_alone, single_parent, jobseekers
      INTO NAME indicator VALUE value);

-- Purpose: each indicator ranked on the national distribution of communes
-- into deciles 1 (least fragile) to 10 (most fragile). Ties share the decile
-- of their mid-rank, so the result does not depend on row order:
--   decile = 1 + floor(10 × (mid_rank − 1) / n),  mid_rank = rank + (ties − 1) / 2
-- Grain: one row per (commune, indicator) with a value.
CREATE OR REPLACE VIEW int_commune__fragility_deciles AS
SELECT code_insee, indicator, value,
       CAST(1 + floor(10 * (rank() OVER (PARTITION BY indicator ORDER BY value) - 1
                            + (count(*) OVER (PARTITION BY indicator, value) - 1) / 2)
                      / count(*) OVER (PARTITION BY indicator)) AS INTEGER) AS decile
FROM int_commune__fragility_indicators;

-- Purpose: the weights of the fragility index (run variable
-- fragility_weights, from the configuration) and the alternative weightings
-- its sensitivity is measured with: each indicator of positive weight in turn
-- doubled, and in turn left out.
-- Grain: one row per (weight set, indicator).
CREATE OR REPLACE VIEW int_reference__fragility_weight_sets AS
WITH base AS (
    SELECT unnest(map_keys(getvariable('fragility_weights'))) AS indicator,
           CAST(unnest(map_values(getvariable('fragility_weights'))) AS DOUBLE) AS weight
)
SELECT 'base' AS weight_set, indicator, weight FROM base
UNION ALL
SELECT 'double ' || i.indicator, b.indicator, CASE WHEN b.indicator = i.indicator THEN 2 * b.weight ELSE b.weight END
FROM base AS b, base AS i WHERE i.weight > 0
UNION ALL
SELECT 'without ' || i.indicator, b.indicator, CASE WHEN b.indicator = i.indicator THEN 0 ELSE b.weight END
FROM base AS b, base AS i
WHERE i.weight > 0 AND (SELECT count(*) FROM base WHERE weight > 0) > 1;

-- Purpose: the fragility score of each commune under each weight set: the
-- weighted mean of its deciles over the indicators it has,
--   score = Σ weight_i × decile_i / Σ weight_i   (1 to 10),
-- NULL when the indicators it has carry less than half of the set's weight.
-- Grain: one row per (commune, weight set).
CREATE OR REPLACE VIEW int_commune__fragility_scores AS
WITH totals AS (
    SELECT weight_set, sum(weight) AS total FROM int_reference__fragility_weight_sets GROUP BY weight_set
)
SELECT d.code_insee, w.weight_set,
       CASE WHEN sum(w.weight) >= any_value(t.total) / 2
            THEN sum(w.weight * d.decile) / nullif(sum(w.weight), 0) END AS score,
       sum(w.weight) / any_value(t.total) AS weight_covered
FROM int_commune__fragility_deciles AS d
JOIN int_reference__fragility_weight_sets AS w USING (indicator)
JOIN totals AS t USING (weight_set)
GROUP BY d.code_insee, w.weight_set;

-- Purpose: the fragility score of each département under each weight set:
-- the mean of its communes' scores weighted by their population, and its
-- rank among départements (1 = most fragile).
-- Grain: one row per (département, weight set).
CREATE OR REPLACE VIEW int_departement__fragility AS
WITH scores AS (
    SELECT r.code_departement, s.weight_set,
           sum(s.score * r.population_municipale)
             / nullif(sum(r.population_municipale) FILTER (WHERE s.score IS NOT NULL), 0) AS score
    FROM int_commune__fragility_scores AS s
    JOIN ref_communes AS r USING (code_insee)
    GROUP BY r.code_departement, s.weight_set
)
SELECT code_departement, weight_set, score,
       CASE WHEN score IS NOT NULL
            THEN rank() OVER (PARTITION BY weight_set ORDER BY score DESC NULLS LAST) END AS rank
FROM scores;
