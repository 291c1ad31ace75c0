-- Purpose: each respondent's most recent self-assessment, so that a person who
-- took the diagnostic twice counts once, with their latest result. Respondent
-- ids are only unique within a source.
-- Grain: one row per (source, respondent_key).
CREATE OR REPLACE VIEW int_assessments__latest_per_respondent AS
SELECT *
FROM stg_assessments__responses
QUALIFY row_number() OVER (PARTITION BY source, respondent_key
                           ORDER BY assessed_at DESC, file_id DESC, line DESC) = 1;
