-- Purpose: the age groups of the illectronism model and of the age
-- standardisation of observed need, with the national population they are
-- split by.
-- Grain: one row per age group of people aged 15 or more (8 rows).
--
-- The local data give three broad groups per commune: 15–24, 25–64 and 65+
-- (see int_commune__age_structure). Each is split into the model's finer
-- groups by the national proportions inside it, so that every published
-- age band (15–24, 25–39, 40–59, 60–74, 75+ in 2021; 15–44, 45–59 in 2019)
-- and every self-assessment band (15–29, 30–44, 45–59, 60–74, 75+) is a
-- union of them. national_population: people of the group in France (Insee,
-- census 2018, POP1B, France outside Mayotte), from ref_national_structure
-- (diagnostics/data/structure_nationale.csv).
CREATE OR REPLACE VIEW int_reference__age_groups AS
WITH groups AS (
    SELECT * FROM (VALUES
        ('15-24', '15-24', '15-29', 1),
        ('25-29', '25-64', '15-29', 2),
        ('30-39', '25-64', '30-44', 3),
        ('40-44', '25-64', '30-44', 4),
        ('45-59', '25-64', '45-59', 5),
        ('60-64', '25-64', '60-74', 6),
        ('65-74', '65+', '60-74', 7),
        ('75+', '65+', '75+', 8)
    ) AS t(age_group, broad_group, assessment_band, age_order)
)
SELECT g.age_group, g.broad_group, g.assessment_band, g.age_order,
       s.valeur AS national_population,
       s.valeur / sum(s.valeur) OVER (PARTITION BY g.broad_group) AS share_of_broad_group
FROM groups AS g
JOIN ref_national_structure AS s ON s.tableau = 'age' AND s.age = g.age_group AND s.modalite = 'population';

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
