-- Purpose: the weight of each fragility indicator the marts were built with,
-- one row per indicator (the MAP of mart_build_parameters unnested); Go puts
-- them in the order of sql.FragilityIndicators.
SELECT unnest(map_keys(fragility_weights)) AS indicator,
       CAST(unnest(map_values(fragility_weights)) AS DOUBLE) AS weight
FROM mart_build_parameters;
