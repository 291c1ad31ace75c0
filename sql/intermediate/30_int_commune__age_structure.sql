-- Purpose: the age structure of each current commune in three broad groups
-- (15–24, 25–64, 65+, as shares of its whole population), from the data at
-- hand: the share aged 15–64 of the whole population from the census 2021
-- (commune centroids file, 2024 units folded into current communes through
-- diag_centroid_access), and the shares aged 15–24 and 65+ of the population
-- aged 15 or more from the socio-demographic file (census 2017 for the IFN
-- inputs). The IFN columns TX_25ETMOINS and TX_65ETPLUS are shares of people
-- aged 15+, not of everyone: their population-weighted means are 14.4 % and
-- 23.4 %, as 15–24 and 65+ are 11.8 % and 19.6 % of everyone and 82 % of
-- people are 15+. Then:
--   share 15+ = share 15–64 / (1 − share 65+ of 15+)     (at most 1)
--   15–24     = share 15+ × share 15–24 of 15+
--   65+       = share 15+ × share 65+ of 15+
--   25–64     = share 15+ − 15–24 − 65+                  (at least 0)
-- A commune missing one of the three inputs takes it from its département
-- (population-weighted mean over the communes where it is known), or else
-- from France (the same mean, or without any local data the national
-- structure of int_reference__age_structure_france); age_source says which.
-- Grain: one row per current commune (ref_communes).
CREATE OR REPLACE VIEW int_commune__age_structure AS
WITH census_2021 AS (
    SELECT a.code_insee,
           sum(c.population_15_64_2021) / nullif(sum(c.population_2021), 0) AS share_15_64
    FROM diag_centroid_access AS a
    JOIN ref_commune_centroids AS c ON c.code_insee = a.centroid_code
    WHERE a.venue_group = 'all'
      AND c.population_2021 > 0 AND c.population_15_64_2021 IS NOT NULL
    GROUP BY a.code_insee
), communes AS (
    SELECT r.code_insee, r.code_departement, r.population_municipale AS population,
           c.share_15_64,
           s.aged_65_plus / 100 AS share_65_plus,     -- of people aged 15+
           s.aged_25_minus / 100 AS share_under_25    -- 15–24, of people aged 15+
    FROM ref_communes AS r
    LEFT JOIN census_2021 AS c USING (code_insee)
    LEFT JOIN stg_socio__communes AS s USING (code_insee)
), departements AS (
    SELECT code_departement,
           sum(share_15_64 * population) / nullif(sum(population) FILTER (WHERE share_15_64 IS NOT NULL), 0) AS share_15_64,
           sum(share_65_plus * population) / nullif(sum(population) FILTER (WHERE share_65_plus IS NOT NULL), 0) AS share_65_plus,
           sum(share_under_25 * population) / nullif(sum(population) FILTER (WHERE share_under_25 IS NOT NULL), 0) AS share_under_25
    FROM communes
    GROUP BY code_departement
), france AS (
    SELECT sum(share_15_64 * population) / nullif(sum(population) FILTER (WHERE share_15_64 IS NOT NULL), 0) AS share_15_64,
           sum(share_65_plus * population) / nullif(sum(population) FILTER (WHERE share_65_plus IS NOT NULL), 0) AS share_65_plus,
           sum(share_under_25 * population) / nullif(sum(population) FILTER (WHERE share_under_25 IS NOT NULL), 0) AS share_under_25
    FROM communes
), filled AS (
    SELECT c.code_insee, c.code_departement, c.population,
           coalesce(c.share_15_64, d.share_15_64, f.share_15_64, n.share_15_64) AS share_15_64,
           coalesce(c.share_65_plus, d.share_65_plus, f.share_65_plus, n.share_65_plus_of_15_plus) AS share_65_plus,
           coalesce(c.share_under_25, d.share_under_25, f.share_under_25, n.share_15_24_of_15_plus) AS share_under_25,
           CASE WHEN c.share_15_64 IS NOT NULL AND c.share_65_plus IS NOT NULL AND c.share_under_25 IS NOT NULL THEN 'commune'
                WHEN coalesce(c.share_15_64, d.share_15_64) IS NOT NULL
                     AND coalesce(c.share_65_plus, d.share_65_plus) IS NOT NULL
                     AND coalesce(c.share_under_25, d.share_under_25) IS NOT NULL THEN 'departement'
                ELSE 'france' END AS age_source
    FROM communes AS c
    LEFT JOIN departements AS d USING (code_departement)
    CROSS JOIN france AS f
    CROSS JOIN int_reference__age_structure_france AS n
), adult AS (
    SELECT *, least(1, share_15_64 / (1 - share_65_plus)) AS share_15_plus
    FROM filled
)
SELECT code_insee, code_departement, population, age_source,
       1 - share_15_plus AS share_under_15,
       share_15_plus * share_under_25 AS share_15_24,
       greatest(0, share_15_plus * (1 - share_under_25 - share_65_plus)) AS share_25_64,
       share_15_plus * share_65_plus AS share_65_plus
FROM adult;

-- Purpose: people of each current commune in each fine age group of
-- int_reference__age_groups: the commune's broad group split by the
-- national proportions inside it.
-- Grain: one row per (commune, age group).
CREATE OR REPLACE VIEW int_commune__population_by_age AS
SELECT s.code_insee, s.code_departement, g.age_group, g.assessment_band,
       s.population * g.share_of_broad_group
         * CASE g.broad_group WHEN '15-24' THEN s.share_15_24
                              WHEN '25-64' THEN s.share_25_64
                              ELSE s.share_65_plus END AS people
FROM int_commune__age_structure AS s
CROSS JOIN int_reference__age_groups AS g;

-- Purpose: the illectronism rate of each age group: the published ones, and
-- the 25–59 rate solved so that the rates applied to the population of France
-- outside Mayotte (the field of the Insee survey) give the published national
-- rate of people aged 15 or more:
--   rate_25_59 = (0.154 × Σ people 15+ − Σ people_g × rate_g over published g)
--                / Σ people 25–59
-- Grain: one row per age group.
CREATE OR REPLACE VIEW int_reference__illectronism_rates AS
WITH field AS (
    SELECT age_group, sum(people) AS people
    FROM int_commune__population_by_age
    WHERE code_departement <> '976'
    GROUP BY age_group
), solved AS (
    SELECT (any_value(n.rate_15_plus) * sum(f.people) - sum(f.people * g.published_rate))
             / sum(f.people) FILTER (WHERE g.published_rate IS NULL) AS rate
    FROM field AS f
    JOIN int_reference__age_groups AS g USING (age_group)
    CROSS JOIN int_reference__illectronism_national AS n
)
SELECT g.age_group, g.assessment_band,
       coalesce(g.published_rate, s.rate) AS rate,
       CASE WHEN g.published_rate IS NULL THEN 'calibrated' ELSE 'published' END AS origin,
       f.people AS people_france_outside_mayotte
FROM int_reference__age_groups AS g
LEFT JOIN field AS f USING (age_group)
CROSS JOIN solved AS s;

-- Purpose: the estimated number of people in illectronism in each current
-- commune (indirect standardisation): Σ over age groups of the commune's
-- people in the group × the group's national rate.
-- Grain: one row per current commune.
CREATE OR REPLACE VIEW int_commune__illectronism AS
SELECT p.code_insee, any_value(p.code_departement) AS code_departement,
       sum(p.people) AS population_15_plus,
       sum(p.people * r.rate) AS illectronism_people_est
FROM int_commune__population_by_age AS p
JOIN int_reference__illectronism_rates AS r USING (age_group)
GROUP BY p.code_insee;
