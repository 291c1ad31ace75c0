-- The illectronism estimate is calibrated: over France outside Mayotte (the
-- field of the Insee survey), estimated people in illectronism are the
-- published national share of people aged 15+, and every rate is a share.
WITH field AS (
    SELECT sum(illectronism_people_est) AS people, sum(population_15_plus) AS p15
    FROM int_commune__illectronism
    WHERE code_departement <> '976'
)
SELECT 'national rate' AS problem, people / p15 AS value
FROM field, int_reference__illectronism_national AS n
WHERE p15 > 0 AND abs(people / p15 - n.rate_15_plus) > 1e-9
UNION ALL
SELECT 'rate of ' || age_group || ' outside [0, 1]', rate
FROM int_reference__illectronism_rates
WHERE rate NOT BETWEEN 0 AND 1;
