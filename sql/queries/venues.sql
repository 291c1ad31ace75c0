-- Purpose: the venues the département pages list and draw.
SELECT id, nom, coalesce(commune, ''), coalesce(code_insee, ''), code_departement,
       longitude, latitude, coalesce(dispositif_programmes_nationaux, '')
FROM int_venues__deduplicated
ORDER BY code_departement, nom, id;
