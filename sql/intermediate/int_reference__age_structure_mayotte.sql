-- Purpose: Mayotte's own age structure (census 2017, via IEDOM: see
-- ref_national_structure, tableau mayotte). The local files carry no age
-- data for Mayotte and Insee's national survey leaves it out: France's
-- structure (81 % aged 15+) would be wrong for a département where about
-- half the people are minors.
-- Grain: one row.
CREATE OR REPLACE VIEW int_reference__age_structure_mayotte AS
SELECT any_value(valeur) FILTER (WHERE modalite = 'part_15_64') AS share_15_64,
       any_value(valeur) FILTER (WHERE modalite = 'part_65_plus_des_15_plus') AS share_65_plus_of_15_plus,
       any_value(valeur) FILTER (WHERE modalite = 'part_15_24_des_15_plus') AS share_15_24_of_15_plus
FROM ref_national_structure
WHERE tableau = 'mayotte';
