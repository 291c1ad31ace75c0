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
