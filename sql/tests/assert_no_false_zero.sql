-- No "0" where no input covers the territory: a figure resting on an input
-- is NULL exactly where int_departement__input_coverage says the input does
-- not cover the département, and present where it does.
WITH c AS (
    SELECT code_departement,
           bool_or(covered) FILTER (WHERE kind = 'venues') AS venues,
           bool_or(covered) FILTER (WHERE kind = 'france_services') AS france_services,
           bool_or(covered) FILTER (WHERE kind = 'mediators') AS mediators,
           bool_or(covered) FILTER (WHERE kind = 'coverage') AS coverage
    FROM int_departement__input_coverage
    GROUP BY code_departement
)
SELECT m.code_departement, 'venues' AS input
FROM mart_departement AS m JOIN c USING (code_departement)
WHERE (m.venues IS NULL) = c.venues OR (m.venues_per_10k IS NULL) = c.venues
   OR (NOT c.venues AND (m.share_population_beyond_10km IS NOT NULL OR m.population_beyond_10km IS NOT NULL))
UNION ALL
SELECT m.code_departement, 'france_services'
FROM mart_departement AS m JOIN c USING (code_departement)
WHERE (m.france_services_sites IS NULL) = c.france_services
UNION ALL
SELECT m.code_departement, 'mediators'
FROM mart_departement AS m JOIN c USING (code_departement)
WHERE (m.mediator_posts IS NULL) = c.mediators
   OR (NOT (c.mediators AND c.france_services) AND m.mediator_workforce_central IS NOT NULL)
UNION ALL
SELECT m.code_departement, 'coverage'
FROM mart_departement AS m JOIN c USING (code_departement)
WHERE (m.premises IS NULL) = c.coverage
   OR (NOT c.coverage AND m.share_premises_below_30mbps IS NOT NULL)
UNION ALL
-- communes: venues and distance only where a listing covers their département
SELECT mc.code_insee, 'commune venues'
FROM mart_commune AS mc JOIN c USING (code_departement)
WHERE (mc.venues IS NULL) = c.venues
   OR (NOT c.venues AND mc.venue_distance_km IS NOT NULL);
