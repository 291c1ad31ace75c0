-- Purpose: each observed-need measure per département and age band, as
-- published (perturbed) counts: n respondents of whom x have the measure.
-- A band of fewer respondents than the threshold has n NULL.
-- Grain: one row per (code_departement, age_band, measure) with respondents.
CREATE OR REPLACE VIEW int_assessments__measures AS
SELECT m.code_departement, m.age_band, m.measure,
       n.x AS true_n, n.published AS n, m.published AS x
FROM int_assessments__perturbed AS m
JOIN int_assessments__perturbed AS n
  ON n.level = 'departement_age' AND n.code = m.code AND n.age_band = m.age_band AND n.measure = 'respondents'
WHERE m.level = 'departement_age' AND m.measure <> 'respondents';
