-- Purpose: the national age structure in the same figures, the last resort
-- of int_commune__age_structure when no local age data were loaded.
-- Grain: one row.
CREATE OR REPLACE VIEW int_reference__age_structure_france AS
WITH g AS (
    SELECT sum(national_population) AS p15,
           sum(national_population) FILTER (WHERE age_group = '15-24') AS p15_24,
           sum(national_population) FILTER (WHERE broad_group = '65+') AS p65
    FROM int_reference__age_groups
), under15 AS (
    SELECT valeur AS p0_14 FROM ref_national_structure WHERE tableau = 'age' AND age = '0-14'
)
SELECT (p15 - p65) / (p15 + p0_14) AS share_15_64,
       p65 / p15 AS share_65_plus_of_15_plus,
       p15_24 / p15 AS share_15_24_of_15_plus
FROM g, under15;
