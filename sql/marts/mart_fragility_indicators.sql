-- Purpose: the indicators of the fragility index, their configured weight,
-- their coverage of the communes and whether they enter the index
-- (int_reference__fragility_coverage).
-- Grain: one row per indicator.
CREATE OR REPLACE TABLE mart_fragility_indicators AS
WITH w AS (
    SELECT unnest(map_keys(getvariable('fragility_weights'))) AS indicator,
           CAST(unnest(map_values(getvariable('fragility_weights'))) AS DOUBLE) AS weight
)
SELECT c.indicator, w.weight, round(c.commune_coverage, 4) AS commune_coverage,
       round(c.filled_coverage, 4) AS filled_coverage, c.kept
FROM tmp_fragility_coverage AS c
LEFT JOIN w USING (indicator)
ORDER BY c.indicator;

COMMENT ON TABLE mart_fragility_indicators IS 'The indicators of the fragility index: configured weight, coverage of the communes, and whether each enters the index.';

COMMENT ON COLUMN mart_fragility_indicators.indicator IS 'connectivity, venue_distance, aged_65_plus, no_diploma, poverty, living_alone, single_parent or jobseekers.';

COMMENT ON COLUMN mart_fragility_indicators.weight IS 'Weight in the configuration (counted only when kept).';

COMMENT ON COLUMN mart_fragility_indicators.commune_coverage IS 'Share (0–1) of the communes with their own value.';

COMMENT ON COLUMN mart_fragility_indicators.filled_coverage IS 'Share (0–1) of the communes with a value once those without it took their département''s mean (only for an indicator with less than 90 % of communes of its own, and only where the communes with a value hold half the département''s population).';

COMMENT ON COLUMN mart_fragility_indicators.kept IS 'True when filled_coverage reaches 90 %: the indicator enters the index; otherwise it is left out and its weight counts for nothing.';
