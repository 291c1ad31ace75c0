-- Purpose: the indicators of each département for the latest run; what the
-- report draws and what analysts query.
-- Grain: one row per département (101 rows: metropolitan France, Corsica and the
-- five overseas départements), keyed by code_departement.
-- Secrecy: a share computed from fewer respondents than the threshold (run
-- variable secrecy_threshold, 11 by default) is NULL.
CREATE OR REPLACE TABLE mart_departement AS
WITH access AS (
    -- diag_centroid_access is written by the diagnostics package (Go) just
    -- before the marts; a commune with no venue in reach at all counts as
    -- beyond every distance.
    SELECT code_departement,
           sum(population_2021) AS population_2021,
           coalesce(sum(population_2021) FILTER (WHERE distance_km IS NULL OR distance_km > 10), 0) AS beyond_10km,
           coalesce(sum(population_2021) FILTER (WHERE distance_km IS NULL OR distance_km > 20), 0) AS beyond_20km
    FROM diag_centroid_access
    WHERE venue_group = 'all'
    GROUP BY code_departement
)
SELECT d.code_departement,
       d.nom,
       d.code_region,
       d.nom_region,
       d.population,
       coalesce(v.venues, 0) AS venues,
       round(coalesce(v.venues, 0) * 10000.0 / d.population, 3) AS venues_per_10k,
       CASE WHEN ac.population_2021 > 0 THEN ac.beyond_10km END AS population_beyond_10km,
       CASE WHEN ac.population_2021 > 0 THEN ac.beyond_20km END AS population_beyond_20km,
       CASE WHEN ac.population_2021 > 0
            THEN round(ac.beyond_10km / ac.population_2021, 4) END AS share_population_beyond_10km,
       coalesce(c.premises, 0) AS premises,
       c.coverage_period,
       CASE WHEN c.premises > 0
            THEN round(1 - c.premises_ge_30mbps / c.premises, 4) END AS share_premises_below_30mbps,
       CASE WHEN c.premises > 0
            THEN round(1 - c.premises_ge_8mbps / c.premises, 4) END AS share_premises_below_8mbps,
       round(so.share_aged_65_plus, 4) AS share_aged_65_plus,
       round(so.share_no_diploma_15_plus, 4) AS share_no_diploma_15_plus,
       round(so.poverty_rate, 4) AS poverty_rate,
       round(so.poverty_rate_population_covered, 4) AS poverty_rate_population_covered,
       coalesce(m.posts_attributed, 0) AS mediator_posts_attributed,
       coalesce(m.posts_recruited, 0) AS mediator_posts,
       coalesce(a.respondents, 0) AS assessments_respondents,
       published(a.respondents, round(a.respondents_illectronism / a.respondents, 4)) AS assessments_share_illectronism,
       published(a.respondents, round(wilson_low(a.respondents_illectronism, a.respondents), 4)) AS assessments_share_illectronism_ci_low,
       published(a.respondents, round(wilson_high(a.respondents_illectronism, a.respondents), 4)) AS assessments_share_illectronism_ci_high,
       published(a.respondents, round(a.respondents_capacites_faibles / a.respondents, 4)) AS assessments_share_capacites_faibles,
       published(a.respondents, round(a.respondents_autonome / a.respondents, 4)) AS assessments_share_autonome,
       published(a.respondents, round(a.respondents_no_basic_information / a.respondents, 4)) AS assessments_share_no_basic_information,
       published(a.respondents, round(a.respondents_no_basic_communication / a.respondents, 4)) AS assessments_share_no_basic_communication,
       published(a.respondents, round(a.respondents_no_basic_content_creation / a.respondents, 4)) AS assessments_share_no_basic_content_creation,
       published(a.respondents, round(a.respondents_no_basic_safety / a.respondents, 4)) AS assessments_share_no_basic_safety,
       published(a.respondents, round(a.respondents_no_basic_problem_solving / a.respondents, 4)) AS assessments_share_no_basic_problem_solving,
       coalesce(a.respondents, 0) > 0
           AND coalesce(a.respondents, 0) < getvariable('secrecy_threshold') AS assessments_suppressed
FROM ref_departements AS d
LEFT JOIN int_departement__venues AS v USING (code_departement)
LEFT JOIN int_departement__coverage AS c USING (code_departement)
LEFT JOIN int_departement__mediators AS m USING (code_departement)
LEFT JOIN int_departement__assessments AS a USING (code_departement)
LEFT JOIN access AS ac USING (code_departement)
LEFT JOIN int_departement__socio AS so USING (code_departement)
ORDER BY d.code_departement;

COMMENT ON TABLE mart_departement IS 'One row per département: population, digital mediation venues, broadband coverage, conseiller numérique posts and self-assessment results of the latest run.';
COMMENT ON COLUMN mart_departement.code_departement IS 'INSEE code of the département (01…95, 2A, 2B, 971…976).';
COMMENT ON COLUMN mart_departement.nom IS 'Name of the département (COG 2026).';
COMMENT ON COLUMN mart_departement.code_region IS 'INSEE code of the région.';
COMMENT ON COLUMN mart_departement.nom_region IS 'Name of the région.';
COMMENT ON COLUMN mart_departement.population IS 'Population municipale, sum over the COG 2026 communes (INSEE).';
COMMENT ON COLUMN mart_departement.venues IS 'Digital mediation venues located in the département by their coordinates (point in polygon), one per venue id.';
COMMENT ON COLUMN mart_departement.venues_per_10k IS 'Venues per 10 000 inhabitants: venues × 10 000 / population.';
COMMENT ON COLUMN mart_departement.population_beyond_10km IS 'Population (census 2021) of the communes whose centroid is more than 10 km, great-circle, from the nearest digital mediation venue loaded (any programme); NULL when access was not computed or the centroids carry no population (Mayotte in the bundled file).';
COMMENT ON COLUMN mart_departement.population_beyond_20km IS 'Population (census 2021) of the communes whose centroid is more than 20 km from the nearest venue loaded; NULL when access was not computed.';
COMMENT ON COLUMN mart_departement.share_population_beyond_10km IS 'Share (0–1) of the census 2021 population living more than 10 km from the nearest venue loaded; NULL when the centroids carry no population (Mayotte in the bundled file).';
COMMENT ON COLUMN mart_departement.premises IS 'Housing units and business premises counted by ARCEP in the latest coverage period of each commune (0 = no coverage data).';
COMMENT ON COLUMN mart_departement.coverage_period IS 'Most recent ARCEP coverage date among the communes of the département.';
COMMENT ON COLUMN mart_departement.share_premises_below_30mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 30 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_premises_below_8mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 8 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_aged_65_plus IS 'Share (0–1) of people aged 65 or more (census 2017, IFN inputs), communes weighted by their 2026 population; NULL without socio-demographic data.';
COMMENT ON COLUMN mart_departement.share_no_diploma_15_plus IS 'Share (0–1) of people aged 15 or more, out of school, with no diploma (census 2017, IFN inputs), population-weighted.';
COMMENT ON COLUMN mart_departement.poverty_rate IS 'Poverty rate (0–1, Filosofi via IFN inputs) over the communes where it is published (statistical secrecy hides it in small communes): see poverty_rate_population_covered.';
COMMENT ON COLUMN mart_departement.poverty_rate_population_covered IS 'Share (0–1) of the département''s 2026 population living in communes whose poverty rate is published.';
COMMENT ON COLUMN mart_departement.mediator_posts_attributed IS 'Conseiller numérique posts attributed to host structures of the département (latest programme export).';
COMMENT ON COLUMN mart_departement.mediator_posts IS 'Conseiller numérique posts recruited (filled) in host structures of the département (latest programme export).';
COMMENT ON COLUMN mart_departement.assessments_respondents IS 'Distinct self-assessment respondents living in the département (latest assessment of each person). Respondents are self-selected: not a sample of the population.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism (no internet use in 3 months, or no basic skill in at least 4 of the 5 areas); NULL when fewer respondents than the secrecy threshold. Not the population rate: respondents are self-selected.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_low IS 'Lower bound of the 95 % Wilson interval of assessments_share_illectronism (sampling uncertainty only: it does not correct the self-selection of respondents); NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_high IS 'Upper bound of the 95 % Wilson interval of assessments_share_illectronism; NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_capacites_faibles IS 'Share (0–1) of respondents in "capacités faibles" (an internet user missing basic skills in 1 to 3 of the 5 areas); NULL when withheld like assessments_share_illectronism. The three class shares add up to 1.';
COMMENT ON COLUMN mart_departement.assessments_share_autonome IS 'Share (0–1) of respondents "autonome" (basic skills or more in all 5 areas); NULL when withheld like assessments_share_illectronism. The three class shares add up to 1.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_information IS 'Share (0–1) of respondents without a basic skill in the DigComp area information and data; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_communication IS 'Share (0–1) of respondents without a basic skill in the DigComp area communication; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_content_creation IS 'Share (0–1) of respondents without a basic skill in the DigComp area content creation; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_safety IS 'Share (0–1) of respondents without a basic skill in the DigComp area safety; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_problem_solving IS 'Share (0–1) of respondents without a basic skill in the DigComp area problem solving; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_suppressed IS 'True when the département has respondents but fewer than the secrecy threshold, so their share is withheld (shown as "s").';
