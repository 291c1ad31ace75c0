-- Purpose: the communes the département pages draw, with a point for each:
-- the population-weighted mean of the 2024 centroids folded into it, and
-- its EPCI ('' for the four island communes in none).
WITH points AS (
    SELECT a.code_insee,
           CASE WHEN bool_and(c.population_2021 > 0)
                THEN sum(c.longitude * c.population_2021) / sum(c.population_2021)
                ELSE avg(c.longitude) END AS longitude,
           CASE WHEN bool_and(c.population_2021 > 0)
                THEN sum(c.latitude * c.population_2021) / sum(c.population_2021)
                ELSE avg(c.latitude) END AS latitude
    FROM diag_centroid_access AS a
    JOIN ref_commune_centroids AS c ON c.code_insee = a.centroid_code
    WHERE a.venue_group = 'all'
    GROUP BY a.code_insee
)
SELECT m.code_insee, m.nom, m.code_departement, coalesce(e.code_epci, ''),
       p.longitude, p.latitude,
       m.population, m.illectronism_people_est, m.illectronism_rate_est,
       m.share_premises_below_30mbps, m.venue_distance_km, m.venues,
       m.fragility_score, m.fragility_decile,
       m.assessments_respondents, m.assessments_share_illectronism, m.assessments_suppressed,
       m.illectronism_people_low, m.illectronism_people_high
FROM mart_commune AS m
LEFT JOIN points AS p USING (code_insee)
LEFT JOIN ref_commune_epci AS e USING (code_insee)
ORDER BY m.code_insee;
