-- mart_commune has exactly the communes of the reference, once each, each in
-- the département the reference gives.
SELECT coalesce(m.code_insee, r.code_insee) AS code_insee,
       CASE WHEN m.code_insee IS NULL THEN 'missing from mart_commune'
            WHEN r.code_insee IS NULL THEN 'not in ref_communes'
            WHEN m.code_departement <> r.code_departement THEN 'wrong département'
            ELSE 'duplicated' END AS problem
FROM (SELECT *, count(*) OVER (PARTITION BY code_insee) AS copies FROM mart_commune) AS m
FULL JOIN ref_communes AS r USING (code_insee)
WHERE m.code_insee IS NULL OR r.code_insee IS NULL
   OR m.code_departement <> r.code_departement OR m.copies > 1;
