-- Purpose: the venues the département pages list and draw.
SELECT id, nom, coalesce(commune, '') AS commune, coalesce(code_insee, '') AS code_insee,
       code_departement, longitude, latitude,
       coalesce(dispositif_programmes_nationaux, '') AS dispositif_programmes_nationaux
FROM mart_venue
ORDER BY code_departement, nom, id;
