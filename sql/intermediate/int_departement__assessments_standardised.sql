-- Purpose: each observed-need share standardised to the age structure of
-- the département's population aged 15+ (direct standardisation), from the
-- published counts of its five age bands:
--   share_std = Σ_b w_b × p_b,  p_b = min(x_b, n_b) / n_b (published
--   counts), w_b = the département's share of people aged 15+ in band b
--   (int_commune__population_by_age),
--   variance  = Σ_b w_b² × (p_b (1 − p_b) / n_b + V (1 + p_b²) / n_b²):
--   sampling (normal approximation) and the perturbation's noise (V, run
--   variable noise_variance).
-- It corrects the age mix of respondents, not their self-selection.
-- smallest_band is the smallest true band, for the secrecy rule.
-- Grain: one row per (département, measure) with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_standardised AS
WITH bands AS (
    SELECT code_departement, age_band, measure, true_n, n, perturbed_share(x, n) AS p
    FROM int_assessments__measures
), weights AS (
    SELECT code_departement, assessment_band AS age_band,
           sum(people) / sum(sum(people)) OVER (PARTITION BY code_departement) AS w
    FROM int_commune__population_by_age
    GROUP BY code_departement, assessment_band
), measures AS (
    SELECT DISTINCT code_departement, measure FROM bands
)
SELECT m.code_departement, m.measure,
       count(b.true_n) AS bands_with_respondents,
       coalesce(min(b.true_n), 0) AS smallest_band,
       sum(w.w * b.p) AS share_std,
       sum(w.w * w.w * (b.p * (1 - b.p) / b.n + getvariable('noise_variance') * (1 + b.p * b.p) / (b.n * b.n))) AS variance
FROM measures AS m
JOIN weights AS w USING (code_departement)
LEFT JOIN bands AS b USING (code_departement, measure, age_band)
GROUP BY m.code_departement, m.measure;
