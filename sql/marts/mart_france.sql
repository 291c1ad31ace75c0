-- Purpose: the national figures the pages compare each département with,
-- each computed over the départements an input covers (a figure is NULL when
-- no département is covered), and the model's estimate for France outside
-- Mayotte (the survey's field) with its band. Observed need over all
-- respondents: the perturbed counts of France (cell-key method), NULL when
-- all respondents together are fewer than the threshold; secondary
-- suppression keeps the withheld départements at or above the threshold
-- together.
-- Grain: one row.
CREATE OR REPLACE TABLE mart_france AS
WITH model AS (
    SELECT * FROM mart_illectronism_territories WHERE level = 'france'
), observed AS (
    SELECT * FROM int_france__assessments_published
)
SELECT CAST(sum(d.population) AS BIGINT) AS population,
       any_value(m.population_15_plus) AS population_15_plus,
       any_value(m.illectronism_people_est) AS illectronism_people_est,
       any_value(m.illectronism_people_low) AS illectronism_people_low,
       any_value(m.illectronism_people_high) AS illectronism_people_high,
       any_value(m.illectronism_rate_est) AS illectronism_rate_est,
       sum(d.premises * d.share_premises_below_30mbps) / nullif(sum(d.premises) FILTER (WHERE d.share_premises_below_30mbps IS NOT NULL), 0) AS share_premises_below_30mbps,
       sum(d.premises * d.share_premises_below_8mbps) / nullif(sum(d.premises) FILTER (WHERE d.share_premises_below_8mbps IS NOT NULL), 0) AS share_premises_below_8mbps,
       sum(d.venues) * 10000.0 / nullif(sum(d.population) FILTER (WHERE d.venues IS NOT NULL), 0) AS venues_per_10k,
       sum(d.mediator_posts) * 10000.0 / nullif(sum(d.illectronism_people_est) FILTER (WHERE d.mediator_posts IS NOT NULL), 0) AS mediator_posts_per_10k_illectronism,
       CAST(sum(d.mediator_posts) AS BIGINT) AS mediator_posts,
       CAST(sum(d.france_services_sites) AS BIGINT) AS france_services_sites,
       sum(d.mediator_fte_needed_low) AS mediator_fte_needed_low,
       sum(d.mediator_fte_needed_central) AS mediator_fte_needed_central,
       sum(d.mediator_fte_needed_high) AS mediator_fte_needed_high,
       sum(d.mediator_workforce_central) AS mediator_workforce_central,
       CAST(any_value(o.n) AS BIGINT) AS assessments_respondents,
       any_value(perturbed_share(o.illectronisme, o.n)) AS assessments_share_illectronism
FROM mart_departement AS d
CROSS JOIN model AS m
LEFT JOIN observed AS o ON true;

COMMENT ON TABLE mart_france IS 'One row: the national figures the pages compare each département with, each over the départements an input covers, and the model''s estimate for France outside Mayotte.';
COMMENT ON COLUMN mart_france.population IS 'Population municipale of the 101 départements (INSEE, COG 2026).';
COMMENT ON COLUMN mart_france.population_15_plus IS 'People aged 15 or more in France outside Mayotte, the field of Insee''s survey (mart_illectronism_territories, level france).';
COMMENT ON COLUMN mart_france.illectronism_people_est IS 'Estimated people aged 15+ in illectronism in France outside Mayotte: the small-area model''s central estimate, which reproduces Insee''s published national rate.';
COMMENT ON COLUMN mart_france.illectronism_people_low IS 'Low end of the 90 % band of illectronism_people_est.';
COMMENT ON COLUMN mart_france.illectronism_people_high IS 'High end of the 90 % band of illectronism_people_est.';
COMMENT ON COLUMN mart_france.illectronism_rate_est IS 'illectronism_people_est ÷ population_15_plus (share, 0–1).';
COMMENT ON COLUMN mart_france.share_premises_below_30mbps IS 'Share (0–1) of premises not eligible to 30 Mbit/s, over the départements with coverage data; NULL when none has.';
COMMENT ON COLUMN mart_france.share_premises_below_8mbps IS 'Share (0–1) of premises not eligible to 8 Mbit/s, over the départements with coverage data; NULL when none has.';
COMMENT ON COLUMN mart_france.venues_per_10k IS 'Digital mediation venues per 10 000 inhabitants, over the départements a venue listing covers; NULL when none is covered.';
COMMENT ON COLUMN mart_france.mediator_posts_per_10k_illectronism IS 'Conseiller numérique posts per 10 000 people in illectronism (central estimate), over the départements the programme export covers.';
COMMENT ON COLUMN mart_france.mediator_posts IS 'Conseiller numérique posts recruited, summed over the départements covered; NULL when no export is loaded.';
COMMENT ON COLUMN mart_france.france_services_sites IS 'France Services sites in the loaded lists, summed over the départements covered; NULL when none is loaded.';
COMMENT ON COLUMN mart_france.mediator_fte_needed_low IS 'Sum of the départements'' mediator_fte_needed_low (full-time mediators needed over the horizon, low end).';
COMMENT ON COLUMN mart_france.mediator_fte_needed_central IS 'Sum of the départements'' mediator_fte_needed_central.';
COMMENT ON COLUMN mart_france.mediator_fte_needed_high IS 'Sum of the départements'' mediator_fte_needed_high.';
COMMENT ON COLUMN mart_france.mediator_workforce_central IS 'Sum of the départements'' mediator_workforce_central (full-time equivalents already in place: posts and France Services agents), over those where it is known.';
COMMENT ON COLUMN mart_france.assessments_respondents IS 'Respondents to the self-assessments in all (latest assessment each), perturbed (cell-key method); NULL when fewer than the secrecy threshold.';
COMMENT ON COLUMN mart_france.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism, from the perturbed counts; NULL when withheld.';
