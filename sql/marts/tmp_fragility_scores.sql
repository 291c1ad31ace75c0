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
