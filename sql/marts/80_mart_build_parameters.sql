-- Purpose: the parameters the marts were built with, so that a reader of the
-- database (or the report) knows the rules behind the published figures.
-- Grain: one row.
CREATE OR REPLACE TABLE mart_build_parameters AS
SELECT CAST(getvariable('secrecy_threshold') AS INTEGER) AS secrecy_threshold,
       getvariable('caseload_min') AS caseload_min,
       getvariable('caseload_central') AS caseload_central,
       getvariable('caseload_max') AS caseload_max,
       getvariable('horizon_years') AS horizon_years,
       getvariable('fragility_weights') AS fragility_weights,
       (SELECT rate_15_plus FROM int_reference__illectronism_national) AS illectronism_national_rate,
       (SELECT map_from_entries(list((age_group, round(rate, 5)) ORDER BY age_group))
        FROM int_reference__illectronism_rates) AS illectronism_rates_by_age;

COMMENT ON TABLE mart_build_parameters IS 'Parameters of the latest build of the marts.';
COMMENT ON COLUMN mart_build_parameters.secrecy_threshold IS 'Minimum number of respondents behind any published share; smaller groups are NULL in the marts and "s" in the report.';
COMMENT ON COLUMN mart_build_parameters.caseload_min IS 'Smallest caseload of the mediator plan: people one FTE accompanies per year (gives mediator_fte_needed_high).';
COMMENT ON COLUMN mart_build_parameters.caseload_central IS 'Central caseload of the mediator plan (gives mediator_fte_needed_central).';
COMMENT ON COLUMN mart_build_parameters.caseload_max IS 'Largest caseload of the mediator plan (gives mediator_fte_needed_low).';
COMMENT ON COLUMN mart_build_parameters.horizon_years IS 'Years the mediator plan gives itself to reach everyone estimated in illectronism.';
COMMENT ON COLUMN mart_build_parameters.fragility_weights IS 'Weight of each indicator in the fragility index.';
COMMENT ON COLUMN mart_build_parameters.illectronism_national_rate IS 'National share of people aged 15+ in illectronism the estimate is calibrated on (Insee 2021).';
COMMENT ON COLUMN mart_build_parameters.illectronism_rates_by_age IS 'Illectronism rate applied to each age group: published by Insee, except 25–59, solved by the calibration.';
