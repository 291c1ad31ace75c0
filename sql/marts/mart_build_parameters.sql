-- Purpose: the parameters the marts were built with, so that a reader of the
-- database (or the report) knows the rules behind the published figures.
-- Grain: one row.
CREATE OR REPLACE TABLE mart_build_parameters AS
SELECT CAST(getvariable('secrecy_threshold') AS INTEGER) AS secrecy_threshold,
       CAST(getvariable('noise_max') AS INTEGER) AS perturbation_max_noise,
       getvariable('noise_variance') AS perturbation_variance,
       getvariable('caseload_min') AS caseload_min,
       getvariable('caseload_central') AS caseload_central,
       getvariable('caseload_max') AS caseload_max,
       getvariable('horizon_years') AS horizon_years,
       getvariable('france_services_agents') AS france_services_agents,
       getvariable('france_services_share_min') AS france_services_share_min,
       getvariable('france_services_share_central') AS france_services_share_central,
       getvariable('france_services_share_max') AS france_services_share_max,
       getvariable('fragility_weights') AS fragility_weights,
       (SELECT rate FROM ref_illectronism_margins
        WHERE field = 'france_hors_mayotte' AND dimension = 'ensemble' AND use = 'calage') AS illectronism_national_rate,
       (SELECT any_value(association) FROM diag_illectronism_ratios) AS illectronism_diploma_income_association,
       (SELECT spread FROM diag_illectronism_residuals WHERE level = 'region') AS illectronism_residual_region,
       (SELECT spread FROM diag_illectronism_residuals WHERE level = 'departement') AS illectronism_residual_departement,
       (SELECT map_from_entries(list((indicator, kept) ORDER BY indicator))
        FROM tmp_fragility_coverage) AS fragility_indicators_kept;

COMMENT ON TABLE mart_build_parameters IS 'Parameters of the latest build of the marts.';
COMMENT ON COLUMN mart_build_parameters.secrecy_threshold IS 'Minimum number of respondents behind any published share; smaller groups are NULL in the marts and "s" in the report.';
COMMENT ON COLUMN mart_build_parameters.perturbation_max_noise IS 'Cell-key method: no published count of self-assessments (respondents, respondents with a class or a missing skill) differs from the true count by more than this (D).';
COMMENT ON COLUMN mart_build_parameters.perturbation_variance IS 'Cell-key method: variance of the noise added to a published count away from its bounds (V); the published intervals include it. Table: ref_perturbation_table.';
COMMENT ON COLUMN mart_build_parameters.caseload_min IS 'Smallest caseload of the mediator plan: people one FTE accompanies per year (gives mediator_fte_needed_high).';
COMMENT ON COLUMN mart_build_parameters.caseload_central IS 'Central caseload of the mediator plan (gives mediator_fte_needed_central).';
COMMENT ON COLUMN mart_build_parameters.caseload_max IS 'Largest caseload of the mediator plan (gives mediator_fte_needed_low).';
COMMENT ON COLUMN mart_build_parameters.horizon_years IS 'Years the mediator plan gives itself to reach everyone estimated in illectronism.';
COMMENT ON COLUMN mart_build_parameters.france_services_agents IS 'Agents counted per France Services site in the workforce.';
COMMENT ON COLUMN mart_build_parameters.france_services_share_min IS 'Smallest share of a France Services agent''s time counted as digital mediation (gives mediator_workforce_low).';
COMMENT ON COLUMN mart_build_parameters.france_services_share_central IS 'Central share of a France Services agent''s time counted as digital mediation.';
COMMENT ON COLUMN mart_build_parameters.france_services_share_max IS 'Largest share (gives mediator_workforce_high).';
COMMENT ON COLUMN mart_build_parameters.fragility_weights IS 'Configured weight of each indicator in the fragility index (an indicator left out for want of coverage counts for nothing: fragility_indicators_kept).';
COMMENT ON COLUMN mart_build_parameters.illectronism_national_rate IS 'National share of people aged 15+ in illectronism the model reproduces (Insee 2021, France outside Mayotte).';
COMMENT ON COLUMN mart_build_parameters.illectronism_diploma_income_association IS 'Log odds ratio of diploma and standard of living per step in the model''s national joint distribution, set so that the model comes closest to Insee''s published adjusted ratios (diag_illectronism_ratios).';
COMMENT ON COLUMN mart_build_parameters.illectronism_residual_region IS 'Relative spread of the published regional rates around the model''s leave-one-out predictions, drawn in the band of the régions without a published rate.';
COMMENT ON COLUMN mart_build_parameters.illectronism_residual_departement IS 'Relative spread of the published départements'' rates around the model, drawn in every département''s band.';
COMMENT ON COLUMN mart_build_parameters.fragility_indicators_kept IS 'Whether each fragility indicator covers enough communes (90 %, once filled from its département) to enter the index.';
