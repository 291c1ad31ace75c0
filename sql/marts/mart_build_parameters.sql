-- Purpose: the parameters the marts were built with, so that a reader of the
-- database (or the report) knows the rules behind the published figures.
-- Grain: one row.
CREATE OR REPLACE TABLE mart_build_parameters AS
SELECT CAST(getvariable('secrecy_threshold') AS INTEGER) AS secrecy_threshold;

COMMENT ON TABLE mart_build_parameters IS 'Parameters of the latest build of the marts.';
COMMENT ON COLUMN mart_build_parameters.secrecy_threshold IS 'Minimum number of respondents behind any published share; smaller groups are NULL in the marts and "s" in the report.';
