-- Purpose: the distance from each current commune to the nearest venue of
-- a group: its centroids' distances (diag_centroid_access), weighted by
-- their census 2021 population (plain mean when one has none). Only where
-- the group's inputs cover the département, as listings are loaded per
-- territory:
--   all              every venue loaded; départements with venues loaded
--   France Services  the sites of the lists of France Services sites, the
--                    national network listed in every département, so that
--                    distances compare across départements (with the other
--                    listings, the départements that loaded one would look
--                    better served); départements where such a list places
--                    a site
-- Grain: one row per (current commune, group) with a distance.
CREATE OR REPLACE VIEW int_commune__venue_distance AS
SELECT code_insee, venue_group,
       CASE WHEN bool_and(population_2021 > 0)
            THEN sum(distance_km * population_2021) / sum(population_2021)
            ELSE avg(distance_km) END AS km
FROM diag_centroid_access
WHERE (venue_group = 'all' AND code_departement IN (SELECT code_departement FROM int_departement__venues))
   OR (venue_group = 'France Services' AND code_departement IN (SELECT code_departement FROM int_departement__france_services))
GROUP BY code_insee, venue_group;
