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
