-- Purpose: the EPCI the département pages list and draw, with the
-- départements each has communes in.
SELECT code_epci, nom, type, code_departement, departements, communes, population,
       illectronism_people_est, illectronism_people_low, illectronism_people_high,
       illectronism_rate_est, illectronism_rate_low, illectronism_rate_high,
       share_premises_below_30mbps, venues, venues_per_10k, share_population_beyond_10km,
       mediator_posts, mediator_fte_needed_central, mediator_gap_central, coalesce(mediator_plan_status, '') AS mediator_plan_status,
       fragility_score, fragility_coverage,
       assessments_respondents, assessments_share_illectronism, assessments_suppressed
FROM mart_epci
ORDER BY code_epci;
