-- Purpose: each respondent's most recent self-assessment, so that a person who
-- took the diagnostic twice counts once, with their latest result.
-- Grain: one row per respondent_key.
CREATE OR REPLACE VIEW int_assessments__latest_per_respondent AS
SELECT *
FROM stg_assessments__responses
QUALIFY row_number() OVER (PARTITION BY respondent_key ORDER BY assessed_on DESC) = 1;
