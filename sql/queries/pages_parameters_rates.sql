-- Purpose: the illectronism rate applied to each age group at the last build
-- (the MAP of mart_build_parameters unnested), in age order, and whether it
-- was solved by the calibration (no rate published by Insee for the group:
-- int_reference__age_groups, a view without run variables) rather than
-- published.
WITH rates AS (
    SELECT unnest(map_keys(illectronism_rates_by_age)) AS age_group,
           CAST(unnest(map_values(illectronism_rates_by_age)) AS DOUBLE) AS rate
    FROM mart_build_parameters
)
SELECT r.age_group, r.rate, coalesce(g.published_rate IS NULL, false) AS calibrated
FROM rates AS r
LEFT JOIN int_reference__age_groups AS g USING (age_group)
ORDER BY r.age_group;
