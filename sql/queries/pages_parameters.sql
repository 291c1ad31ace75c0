-- Purpose: the scalar parameters the marts were built with, for the
-- methodology page (mart_build_parameters has one row).
SELECT secrecy_threshold,
       coalesce(perturbation_max_noise, 0) AS perturbation_max_noise,
       coalesce(perturbation_variance, 0) AS perturbation_variance,
       caseload_min, caseload_central, caseload_max, horizon_years,
       illectronism_national_rate, france_services_agents, france_services_share_min,
       france_services_share_central, france_services_share_max,
       coalesce(illectronism_diploma_income_association, 0) AS illectronism_diploma_income_association,
       coalesce(illectronism_residual_region, 0) AS illectronism_residual_region,
       coalesce(illectronism_residual_departement, 0) AS illectronism_residual_departement
FROM mart_build_parameters;
