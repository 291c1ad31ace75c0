-- Purpose: the commune centroids access is measured from.
SELECT code_insee, longitude, latitude, coalesce(population_2021, 0) AS population_2021
FROM ref_commune_centroids
ORDER BY code_insee;
