-- In a département, its EPCIs that lie wholly in it, plus its communes in
-- an EPCI astride départements or in none, add up to the département:
-- population exactly; people in illectronism within the rounding of the
-- rows added (half a person per EPCI row, a twentieth per commune row);
-- mediator posts exactly where the posts file covers the département; and
-- France Services sites exactly in a département whose communes all lie in
-- EPCI wholly inside it.
WITH parts AS (
    SELECT code_departement, population, illectronism_people_est AS people, mediator_posts, 0.5 AS rounding
    FROM mart_epci
    WHERE NOT straddles_departements
    UNION ALL
    SELECT c.code_departement, c.population, c.illectronism_people_est, c.mediator_posts, 0.05
    FROM mart_commune AS c
    LEFT JOIN mart_epci AS m USING (code_epci)
    WHERE c.code_epci IS NULL OR m.straddles_departements
), sums AS (
    SELECT code_departement, sum(population) AS population, sum(people) AS people,
           sum(mediator_posts) AS posts, sum(rounding) AS rounding
    FROM parts
    GROUP BY code_departement
), whole AS (
    -- départements whose communes all lie in EPCI wholly inside them
    SELECT c.code_departement
    FROM mart_commune AS c
    LEFT JOIN mart_epci AS m USING (code_epci)
    GROUP BY c.code_departement
    HAVING bool_and(m.code_epci IS NOT NULL AND NOT m.straddles_departements)
), sites AS (
    SELECT m.code_departement, sum(m.france_services_sites) AS sites
    FROM mart_epci AS m
    JOIN whole USING (code_departement)
    GROUP BY m.code_departement
)
SELECT d.code_departement AS key,
       CASE WHEN s.population IS DISTINCT FROM d.population THEN 'population: EPCIs and communes ' || s.population || ', département ' || d.population
            WHEN abs(s.people - d.illectronism_people_est) > s.rounding + 0.5 THEN 'people in illectronism: EPCIs and communes ' || s.people || ', département ' || d.illectronism_people_est
            ELSE 'mediator posts: EPCIs and communes ' || s.posts || ', département ' || d.mediator_posts END AS problem
FROM mart_departement AS d
LEFT JOIN sums AS s USING (code_departement)
WHERE s.population IS DISTINCT FROM d.population
   OR abs(s.people - d.illectronism_people_est) > s.rounding + 0.5
   OR (d.mediator_posts IS NOT NULL AND s.posts IS DISTINCT FROM d.mediator_posts)
UNION ALL
SELECT d.code_departement, 'France Services sites: EPCIs ' || s.sites || ', département ' || d.france_services_sites
FROM mart_departement AS d
JOIN sites AS s USING (code_departement)
WHERE d.france_services_sites IS DISTINCT FROM s.sites;
