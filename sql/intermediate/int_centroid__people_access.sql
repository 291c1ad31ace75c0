-- Purpose: the people of each commune centroid with its distance to the
-- nearest digital mediation venue loaded (diag_centroid_access, computed in
-- Go just before the marts): what the access figures of départements and
-- EPCI count. People: the census 2021 population of each centroid; in a
-- département whose centroids carry none (Mayotte, outside the census 2021
-- file), the commune's legal population (COG 2026) shared among its
-- centroids. One definition, so that EPCI add up to their département.
-- Grain: one row per centroid (centroid_code), all venues together.
CREATE OR REPLACE VIEW int_centroid__people_access AS
SELECT a.centroid_code, a.code_insee, a.code_departement, a.distance_km,
       CASE WHEN sum(a.population_2021) OVER (PARTITION BY a.code_departement) > 0
            THEN a.population_2021
            ELSE r.population_municipale / count(*) OVER (PARTITION BY a.code_insee) END AS people
FROM diag_centroid_access AS a
JOIN ref_communes AS r USING (code_insee)
WHERE a.venue_group = 'all';
