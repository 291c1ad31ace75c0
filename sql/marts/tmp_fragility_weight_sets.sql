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
