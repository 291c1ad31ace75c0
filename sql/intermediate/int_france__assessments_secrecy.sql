-- Purpose: statistical secrecy of France's observed need: withheld when all
-- respondents together are fewer than the threshold.
-- Grain: one row.
CREATE OR REPLACE VIEW int_france__assessments_secrecy AS
SELECT coalesce(sum(respondents), 0) AS respondents,
       coalesce(sum(respondents), 0) < getvariable('secrecy_threshold') AS suppressed
FROM int_departement__assessments;
