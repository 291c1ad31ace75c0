-- Purpose: the age groups behind the illectronism estimate and the age
-- standardisation of observed need, with the national figures they rest on.
-- Grain: one row per age group of people aged 15 or more (7 rows).
--
-- The local data give three broad groups per commune: 15–24, 25–64 and 65+
-- (see int_commune__age_structure). Each is split into finer groups by the
-- national proportions below, so that the published national rates (by finer
-- groups) and the self-assessment bands (15-29, 30-44, 45-59, 60-74, 75+)
-- can be used.
--
-- national_population_2021_m: people in millions, France, 1 January 2021,
-- rounded (Insee, estimations de population, pyramide des âges 2021); used
-- only as proportions inside a broad group.
-- published_rate: share in illectronism in 2021 (Insee Première n°1953, June
-- 2023, and the Insee TIC 2021 tables quoted with it): 15–24 years 2 %,
-- 60–74 years about 25 % ("près d'une personne sur quatre", used for 60–64
-- and 65–74 alike), 75 years or more 61.9 %. The 25–59 rate is not
-- published: int_reference__illectronism_rates solves it so that the
-- national total is the published 15.4 % of people aged 15 or more.
CREATE OR REPLACE VIEW int_reference__age_groups AS
SELECT age_group, broad_group, assessment_band, national_population_2021_m, published_rate,
       national_population_2021_m
         / sum(national_population_2021_m) OVER (PARTITION BY broad_group) AS share_of_broad_group
FROM (VALUES
    ('15-24', '15-24', '15-29', 8.00, 0.020),
    ('25-29', '25-64', '15-29', 3.75, NULL),
    ('30-44', '25-64', '30-44', 12.30, NULL),
    ('45-59', '25-64', '45-59', 13.30, NULL),
    ('60-64', '25-64', '60-74', 4.15, 0.250),
    ('65-74', '65+', '60-74', 7.50, 0.250),
    ('75+', '65+', '75+', 6.35, 0.619)
) AS t(age_group, broad_group, assessment_band, national_population_2021_m, published_rate);

-- Purpose: the national illectronism rate the estimate is calibrated on.
-- Grain: one row.
CREATE OR REPLACE VIEW int_reference__illectronism_national AS
SELECT 0.154 AS rate_15_plus,
       2021 AS year,
       'Insee Première n°1953 (juin 2023): 15,4 % des 15 ans ou plus, France hors Mayotte' AS source;

-- Purpose: the national age structure of 2021 in the same rounded figures
-- (Insee, estimations de population au 1er janvier 2021), the last resort
-- of int_commune__age_structure when no local age data were loaded.
-- Grain: one row.
CREATE OR REPLACE VIEW int_reference__age_structure_france AS
WITH g AS (
    SELECT sum(national_population_2021_m) AS p15,
           sum(national_population_2021_m) FILTER (WHERE age_group = '15-24') AS p15_24,
           sum(national_population_2021_m) FILTER (WHERE broad_group = '65+') AS p65
    FROM int_reference__age_groups
)
SELECT (p15 - p65) / (p15 + 11.85) AS share_15_64,   -- 11.85 million aged 0–14
       p65 / p15 AS share_65_plus_of_15_plus,
       p15_24 / p15 AS share_15_24_of_15_plus
FROM g;
