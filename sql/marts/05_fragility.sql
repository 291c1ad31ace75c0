-- Purpose: the fragility index, computed once per build: the indicators'
-- coverage and deciles (intermediate views, which need the access distances
-- the diagnostics package writes after the views), then the weight sets,
-- the scores of the communes and of the départements. Both mart_departement
-- and mart_commune read it: as views, each would compute it all again. These
-- temporary tables live in the build's session only; analysts read the
-- marts (and mart_fragility_indicators).
CREATE OR REPLACE TEMP TABLE tmp_fragility_coverage AS
SELECT * FROM int_reference__fragility_coverage;

CREATE OR REPLACE TEMP TABLE tmp_fragility_deciles AS
SELECT * FROM int_commune__fragility_deciles;

-- Purpose: the weights of the fragility index (run variable
-- fragility_weights, from the configuration; 0 for an indicator left out
-- for want of coverage) and the alternative weightings its sensitivity is
-- measured with: each indicator of positive weight in turn doubled, and in
-- turn left out.
-- Grain: one row per (weight set, indicator).
CREATE OR REPLACE TEMP TABLE tmp_fragility_weight_sets AS
WITH configured AS (
    SELECT unnest(map_keys(getvariable('fragility_weights'))) AS indicator,
           CAST(unnest(map_values(getvariable('fragility_weights'))) AS DOUBLE) AS weight
), base AS (
    -- an indicator left out for want of coverage weighs nothing
    SELECT f.indicator, CASE WHEN coalesce(c.kept, false) THEN f.weight ELSE 0 END AS weight
    FROM configured AS f
    LEFT JOIN tmp_fragility_coverage AS c USING (indicator)
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
CREATE OR REPLACE TEMP TABLE tmp_fragility_scores AS
WITH totals AS (
    SELECT weight_set, sum(weight) AS total FROM tmp_fragility_weight_sets GROUP BY weight_set
)
SELECT d.code_insee, w.weight_set,
       CASE WHEN sum(w.weight) >= any_value(t.total) / 2
            THEN sum(w.weight * d.decile) / nullif(sum(w.weight), 0) END AS score,
       sum(w.weight) / any_value(t.total) AS weight_covered
FROM tmp_fragility_deciles AS d
JOIN tmp_fragility_weight_sets AS w USING (indicator)
JOIN totals AS t USING (weight_set)
GROUP BY d.code_insee, w.weight_set;

-- Purpose: the fragility score of each département under each weight set:
-- the mean of its communes' scores weighted by their population, and its
-- rank among départements (1 = most fragile).
-- Grain: one row per (département, weight set).
CREATE OR REPLACE TEMP TABLE tmp_departement_fragility AS
WITH scores AS (
    SELECT r.code_departement, s.weight_set,
           sum(s.score * r.population_municipale)
             / nullif(sum(r.population_municipale) FILTER (WHERE s.score IS NOT NULL), 0) AS score
    FROM tmp_fragility_scores AS s
    JOIN ref_communes AS r USING (code_insee)
    GROUP BY r.code_departement, s.weight_set
)
SELECT code_departement, weight_set, score,
       CASE WHEN score IS NOT NULL
            THEN rank() OVER (PARTITION BY weight_set ORDER BY score DESC NULLS LAST) END AS rank
FROM scores;
