-- Purpose: every observed-need share of every département, raw and
-- age-standardised, with their 95 % intervals, in long form: what
-- mart_departement shows for illectronism, for each class and DigComp area.
-- Grain: one row per (code_departement, measure) with respondents.
-- Secrecy: counts perturbed by the cell-key method (int_assessments__perturbed);
-- the département's withholding (int_departement__assessments_published)
-- applies to every measure; the standardised share also needs every age band
-- to hold at least the threshold of respondents.
CREATE OR REPLACE TABLE mart_departement_observed_need AS
WITH counts AS (
    SELECT p.code AS code_departement, p.measure, p.published AS x, n.n, n.suppression
    FROM int_assessments__perturbed AS p
    JOIN int_departement__assessments_published AS n ON n.code_departement = p.code
    WHERE p.level = 'departement' AND p.measure <> 'respondents'
), cells AS (
    SELECT c.*,
           c.suppression IS NOT NULL AS withheld,
           CASE WHEN c.suppression IS NULL AND st.bands_with_respondents = 5
                THEN published(st.smallest_band, true) END AS std_ok,
           st.share_std, st.variance
    FROM counts AS c
    JOIN int_departement__assessments_standardised AS st USING (code_departement, measure)
)
SELECT code_departement,
       measure,
       CAST(n AS BIGINT) AS respondents,
       round(perturbed_share(x, n), 4) AS share,
       round(perturbed_low(x, n), 4) AS share_ci_low,
       round(perturbed_high(x, n), 4) AS share_ci_high,
       CASE WHEN std_ok THEN round(share_std, 4) END AS share_std,
       CASE WHEN std_ok THEN round(greatest(0, share_std - 1.959964 * sqrt(variance)), 4) END AS share_std_ci_low,
       CASE WHEN std_ok THEN round(least(1, share_std + 1.959964 * sqrt(variance)), 4) END AS share_std_ci_high,
       withheld AS suppressed
FROM cells
ORDER BY code_departement, measure;

COMMENT ON TABLE mart_departement_observed_need IS 'Observed need from self-assessments per département and measure, raw and age-standardised. Respondents are self-selected: these are not population rates.';
COMMENT ON COLUMN mart_departement_observed_need.code_departement IS 'INSEE code of the département.';
COMMENT ON COLUMN mart_departement_observed_need.measure IS 'illectronisme, capacites_faibles or autonome (the classes; they add up to 1), or no_basic_<area> (no basic skill in the DigComp area information, communication, content_creation, safety or problem_solving).';
COMMENT ON COLUMN mart_departement_observed_need.respondents IS 'Distinct respondents of the département (latest assessment of each person), perturbed by the cell-key method; NULL when withheld.';
COMMENT ON COLUMN mart_departement_observed_need.share IS 'Share (0–1) of respondents with the measure, from perturbed counts (min(x, n) / n); NULL when withheld.';
COMMENT ON COLUMN mart_departement_observed_need.share_ci_low IS 'Lower bound of the 95 % interval of share: the Wilson interval widened by the perturbation''s noise.';
COMMENT ON COLUMN mart_departement_observed_need.share_ci_high IS 'Upper bound of the 95 % interval of share (Wilson, widened by the perturbation''s noise).';
COMMENT ON COLUMN mart_departement_observed_need.share_std IS 'Share standardised to the département''s age structure (15+) over the five age bands (Σ w_b × share_b); NULL when withheld or when an age band has fewer respondents than the secrecy threshold.';
COMMENT ON COLUMN mart_departement_observed_need.share_std_ci_low IS 'Lower bound of the 95 % interval of share_std (normal approximation, sampling and perturbation, bounded at 0).';
COMMENT ON COLUMN mart_departement_observed_need.share_std_ci_high IS 'Upper bound of the 95 % interval of share_std (bounded at 1).';
COMMENT ON COLUMN mart_departement_observed_need.suppressed IS 'True when the département''s observed need is withheld for statistical secrecy (primary or secondary, as in mart_departement.assessments_suppression).';
