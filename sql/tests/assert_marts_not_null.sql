-- The columns every row must have: keys, names, population, the estimate and
-- its band (the model fills every commune, from its own data or its
-- département's), the need side of the plan and the secrecy flags. Figures
-- that rest on an input that may not cover a territory (venues, posts, the
-- workforce and the gap) may be NULL: see assert_no_false_zero.
SELECT 'mart_departement' AS mart, code_departement AS key
FROM mart_departement
WHERE code_departement IS NULL OR nom IS NULL OR population IS NULL
   OR population_15_plus IS NULL OR illectronism_people_est IS NULL OR illectronism_rate_est IS NULL
   OR illectronism_people_low IS NULL OR illectronism_people_high IS NULL
   OR mediator_fte_needed_low IS NULL OR mediator_fte_needed_central IS NULL
   OR mediator_fte_needed_high IS NULL
   OR assessments_suppressed IS NULL
UNION ALL
SELECT 'mart_commune', code_insee
FROM mart_commune
WHERE code_insee IS NULL OR nom IS NULL OR code_departement IS NULL OR population IS NULL
   OR population_15_plus IS NULL OR illectronism_people_est IS NULL OR age_source IS NULL
   OR illectronism_people_low IS NULL OR illectronism_people_high IS NULL
   OR assessments_suppressed IS NULL
UNION ALL
SELECT 'mart_epci', code_epci
FROM mart_epci
WHERE code_epci IS NULL OR nom IS NULL OR type IS NULL OR code_departement IS NULL
   OR communes IS NULL OR population IS NULL OR assessments_suppressed IS NULL;
