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
-- A commune of Mayotte takes Mayotte's census structure
-- (int_reference__age_structure_mayotte): the files carry none for it. Any
-- other commune missing one of the three inputs takes it from its
-- département (population-weighted mean over the communes where it is
-- known), or else from France (the same mean, or without any local data the
-- national structure of int_reference__age_structure_france); age_source
-- says which.
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
    -- exact sums (staging macros): the model reads these, byte for byte
    SELECT code_departement,
           exact_sum(share_15_64 * population) / nullif(sum(population) FILTER (WHERE share_15_64 IS NOT NULL), 0) AS share_15_64,
           exact_sum(share_65_plus * population) / nullif(sum(population) FILTER (WHERE share_65_plus IS NOT NULL), 0) AS share_65_plus,
           exact_sum(share_under_25 * population) / nullif(sum(population) FILTER (WHERE share_under_25 IS NOT NULL), 0) AS share_under_25
    FROM communes
    GROUP BY code_departement
), france AS (
    SELECT exact_sum(share_15_64 * population) / nullif(sum(population) FILTER (WHERE share_15_64 IS NOT NULL), 0) AS share_15_64,
           exact_sum(share_65_plus * population) / nullif(sum(population) FILTER (WHERE share_65_plus IS NOT NULL), 0) AS share_65_plus,
           exact_sum(share_under_25 * population) / nullif(sum(population) FILTER (WHERE share_under_25 IS NOT NULL), 0) AS share_under_25
    FROM communes
), filled AS (
    SELECT c.code_insee, c.code_departement, c.population,
           CASE WHEN c.code_departement = '976' THEN m.share_15_64
                ELSE coalesce(c.share_15_64, d.share_15_64, f.share_15_64, n.share_15_64) END AS share_15_64,
           CASE WHEN c.code_departement = '976' THEN m.share_65_plus_of_15_plus
                ELSE coalesce(c.share_65_plus, d.share_65_plus, f.share_65_plus, n.share_65_plus_of_15_plus) END AS share_65_plus,
           CASE WHEN c.code_departement = '976' THEN m.share_15_24_of_15_plus
                ELSE coalesce(c.share_under_25, d.share_under_25, f.share_under_25, n.share_15_24_of_15_plus) END AS share_under_25,
           CASE WHEN c.code_departement = '976' THEN 'mayotte'
                WHEN c.share_15_64 IS NOT NULL AND c.share_65_plus IS NOT NULL AND c.share_under_25 IS NOT NULL THEN 'commune'
                WHEN coalesce(c.share_15_64, d.share_15_64) IS NOT NULL
                     AND coalesce(c.share_65_plus, d.share_65_plus) IS NOT NULL
                     AND coalesce(c.share_under_25, d.share_under_25) IS NOT NULL THEN 'departement'
                ELSE 'france' END AS age_source
    FROM communes AS c
    LEFT JOIN departements AS d USING (code_departement)
    CROSS JOIN france AS f
    CROSS JOIN int_reference__age_structure_france AS n
    CROSS JOIN int_reference__age_structure_mayotte AS m
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
