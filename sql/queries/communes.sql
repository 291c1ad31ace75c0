-- Purpose: the communes the département pages draw, with their point and
-- EPCI.
SELECT code_insee, nom, code_departement, coalesce(code_epci, '') AS code_epci,
       longitude, latitude,
       population, illectronism_people_est, illectronism_rate_est,
       share_premises_below_30mbps, venue_distance_km, venues,
       fragility_score, fragility_decile,
       assessments_respondents, assessments_share_illectronism, assessments_suppressed,
       illectronism_people_low, illectronism_people_high
FROM mart_commune
ORDER BY code_insee;
