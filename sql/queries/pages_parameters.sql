-- Purpose: the scalar parameters the marts were built with, for the
-- methodology page (mart_build_parameters has one row).
SELECT secrecy_threshold, caseload_min, caseload_central, caseload_max, horizon_years,
       illectronism_national_rate
FROM mart_build_parameters;
