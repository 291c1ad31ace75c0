-- mart_epci has exactly the EPCI of the reference, once each; every current
-- commune is in exactly one EPCI of the reference, or explicitly in none
-- (code_epci NULL); an EPCI's communes are counted whole.
SELECT coalesce(m.code_epci, r.code_epci) AS key,
       CASE WHEN m.code_epci IS NULL THEN 'missing from mart_epci'
            WHEN r.code_epci IS NULL THEN 'not in ref_epci'
            WHEN m.copies > 1 THEN 'duplicated'
            ELSE 'no commune' END AS problem
FROM (SELECT *, count(*) OVER (PARTITION BY code_epci) AS copies FROM mart_epci) AS m
FULL JOIN ref_epci AS r USING (code_epci)
WHERE m.code_epci IS NULL OR r.code_epci IS NULL OR m.copies > 1 OR coalesce(m.communes, 0) = 0
UNION ALL
SELECT c.code_insee, 'commune without an EPCI row (neither an EPCI nor explicitly none)'
FROM ref_communes AS c
LEFT JOIN ref_commune_epci AS e USING (code_insee)
WHERE e.code_insee IS NULL
UNION ALL
SELECT e.code_insee, 'commune in an EPCI missing from ref_epci'
FROM ref_commune_epci AS e
LEFT JOIN ref_epci AS r USING (code_epci)
WHERE e.code_epci IS NOT NULL AND r.code_epci IS NULL
UNION ALL
SELECT e.code_insee, 'not a current commune'
FROM ref_commune_epci AS e
LEFT JOIN ref_communes AS c USING (code_insee)
WHERE c.code_insee IS NULL
UNION ALL
SELECT m.code_epci, 'communes or population differ from its member communes'
FROM mart_epci AS m
JOIN (SELECT e.code_epci, count(*) AS communes, sum(c.population_municipale) AS population
      FROM ref_commune_epci AS e JOIN ref_communes AS c USING (code_insee)
      GROUP BY e.code_epci) AS s USING (code_epci)
WHERE m.communes <> s.communes OR m.population <> s.population;
