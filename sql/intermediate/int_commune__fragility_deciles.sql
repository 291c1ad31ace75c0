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
