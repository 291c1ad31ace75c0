-- Purpose: the rows the report draws, in code order; sql.ReadDepartements
-- scans them by column name.
SELECT code_departement, nom, code_region, nom_region, population,
       venues, venues_per_10k, premises, share_premises_below_30mbps,
       mediator_posts, assessments_respondents, assessments_share_illectronism,
       assessments_suppressed,
       population_15_plus, illectronism_people_est, illectronism_rate_est,
       share_premises_below_8mbps, share_population_beyond_10km, share_population_beyond_20km,
       mediator_posts_per_10k_illectronism,
       assessments_share_illectronism_ci_low, assessments_share_illectronism_ci_high,
       assessments_share_illectronism_std, assessments_share_illectronism_std_ci_low,
       assessments_share_illectronism_std_ci_high,
       assessments_share_capacites_faibles, assessments_share_autonome,
       coalesce(assessments_suppression, '') AS assessments_suppression,
       fragility_score, fragility_rank, fragility_rank_min, fragility_rank_max,
       mediator_fte_needed_low, mediator_fte_needed_central, mediator_fte_needed_high,
       mediator_gap_low, mediator_gap_central, mediator_gap_high,
       coalesce(strftime(previous_built_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'), '') AS previous_built_at,
       previous_illectronism_people_est, previous_fragility_rank, previous_mediator_gap_central,
       illectronism_people_low, illectronism_people_high, illectronism_rate_low, illectronism_rate_high,
       illectronism_outside_survey, france_services_sites,
       mediator_workforce_low, mediator_workforce_central, mediator_workforce_high,
       coalesce(mediator_plan_status, '') AS mediator_plan_status
FROM mart_departement
ORDER BY code_departement;
