-- Purpose: the indicators of each département for the latest run; what the
-- report draws and what analysts query. Formulas: the views named in each
-- CTE, and the methodology page.
-- Changes: previous_* are the figures of the latest earlier build that
-- differs (hist_departement).
-- Grain: one row per département (101 rows: metropolitan France, Corsica and the
-- five overseas départements), keyed by code_departement.
-- Secrecy: observed-need figures of a département with fewer respondents than
-- the threshold (run variable secrecy_threshold, 11 by default), or withheld
-- by secondary suppression, are NULL (int_departement__assessments_secrecy).
CREATE OR REPLACE TABLE mart_departement AS
WITH access AS (
    -- diag_centroid_access is written by the diagnostics package (Go) just
    -- before the marts. Venue listings are loaded per territory: a
    -- département without any venue loaded is taken as not covered by them,
    -- and gets no access figures rather than "everyone is far".
    SELECT code_departement,
           sum(population_2021) AS population_2021,
           coalesce(sum(population_2021) FILTER (WHERE distance_km IS NULL OR distance_km > 10), 0) AS beyond_10km,
           coalesce(sum(population_2021) FILTER (WHERE distance_km IS NULL OR distance_km > 20), 0) AS beyond_20km
    FROM diag_centroid_access
    WHERE venue_group = 'all'
      AND code_departement IN (SELECT code_departement FROM int_departement__venues)
    GROUP BY code_departement
), illectronism AS (
    SELECT i.code_departement,
           sum(i.population_15_plus) AS population_15_plus,
           sum(i.illectronism_people_est) AS people,
           sum(a.population) FILTER (WHERE a.age_source = 'commune') / sum(a.population) AS age_data_coverage
    FROM int_commune__illectronism AS i
    JOIN int_commune__age_structure AS a USING (code_insee)
    GROUP BY i.code_departement
), observed AS (
    -- n is NULL when the département's figures are withheld, which makes
    -- every share below NULL too.
    SELECT a.*,
           CASE WHEN s.primary_suppressed OR s.secondary_suppressed THEN NULL ELSE a.respondents END AS n,
           CASE WHEN s.primary_suppressed THEN 'primary'
                WHEN s.secondary_suppressed THEN 'secondary' END AS suppression
    FROM int_departement__assessments AS a
    LEFT JOIN int_departement__assessments_secrecy AS s USING (code_departement)
), fragility AS (
    SELECT code_departement,
           any_value(score) FILTER (WHERE weight_set = 'base') AS score,
           any_value(rank) FILTER (WHERE weight_set = 'base') AS rank,
           min(rank) AS rank_min,
           max(rank) AS rank_max
    FROM int_departement__fragility
    GROUP BY code_departement
), base AS (
    SELECT d.code_departement,
           d.nom,
           d.code_region,
           d.nom_region,
           d.population,
           round(il.population_15_plus) AS population_15_plus,
           round(il.age_data_coverage, 4) AS age_data_coverage,
           round(il.people) AS illectronism_people_est,
           round(il.people / il.population_15_plus, 4) AS illectronism_rate_est,
           coalesce(v.venues, 0) AS venues,
           round(coalesce(v.venues, 0) * 10000.0 / d.population, 3) AS venues_per_10k,
           CAST(CASE WHEN ac.population_2021 > 0 THEN ac.beyond_10km END AS BIGINT) AS population_beyond_10km,
           CAST(CASE WHEN ac.population_2021 > 0 THEN ac.beyond_20km END AS BIGINT) AS population_beyond_20km,
           CASE WHEN ac.population_2021 > 0
                THEN round(ac.beyond_10km / ac.population_2021, 4) END AS share_population_beyond_10km,
           CASE WHEN ac.population_2021 > 0
                THEN round(ac.beyond_20km / ac.population_2021, 4) END AS share_population_beyond_20km,
           CAST(coalesce(c.premises, 0) AS BIGINT) AS premises,
           c.coverage_period,
           CASE WHEN c.premises > 0
                THEN round(1 - c.premises_ge_30mbps / c.premises, 4) END AS share_premises_below_30mbps,
           CASE WHEN c.premises > 0
                THEN round(1 - c.premises_ge_8mbps / c.premises, 4) END AS share_premises_below_8mbps,
           round(so.share_aged_65_plus, 4) AS share_aged_65_plus,
           round(so.share_no_diploma_15_plus, 4) AS share_no_diploma_15_plus,
           round(so.poverty_rate, 4) AS poverty_rate,
           round(so.poverty_rate_population_covered, 4) AS poverty_rate_population_covered,
           CAST(coalesce(m.posts_attributed, 0) AS BIGINT) AS mediator_posts_attributed,
           CAST(coalesce(m.posts_recruited, 0) AS BIGINT) AS mediator_posts,
           round(coalesce(m.posts_recruited, 0) * 10000.0 / nullif(il.people, 0), 3) AS mediator_posts_per_10k_illectronism,
           CASE WHEN a.respondents IS NULL THEN 0 ELSE a.n END AS assessments_respondents,
           round(a.respondents_illectronism / a.n, 4) AS assessments_share_illectronism,
           round(wilson_low(a.respondents_illectronism, a.n), 4) AS assessments_share_illectronism_ci_low,
           round(wilson_high(a.respondents_illectronism, a.n), 4) AS assessments_share_illectronism_ci_high,
           round(a.respondents_capacites_faibles / a.n, 4) AS assessments_share_capacites_faibles,
           round(a.respondents_autonome / a.n, 4) AS assessments_share_autonome,
           round(a.respondents_no_basic_information / a.n, 4) AS assessments_share_no_basic_information,
           round(a.respondents_no_basic_communication / a.n, 4) AS assessments_share_no_basic_communication,
           round(a.respondents_no_basic_content_creation / a.n, 4) AS assessments_share_no_basic_content_creation,
           round(a.respondents_no_basic_safety / a.n, 4) AS assessments_share_no_basic_safety,
           round(a.respondents_no_basic_problem_solving / a.n, 4) AS assessments_share_no_basic_problem_solving,
           CASE WHEN a.n IS NOT NULL AND st.bands_with_respondents = 5 THEN published(st.smallest_band, st) END AS std,
           a.suppression IS NOT NULL AS assessments_suppressed,
           a.suppression AS assessments_suppression,
           round(f.score, 3) AS fragility_score,
           CAST(f.rank AS INTEGER) AS fragility_rank,
           CAST(f.rank_min AS INTEGER) AS fragility_rank_min,
           CAST(f.rank_max AS INTEGER) AS fragility_rank_max,
           il.people AS people_to_reach_exact
    FROM ref_departements AS d
    LEFT JOIN int_departement__venues AS v USING (code_departement)
    LEFT JOIN int_departement__coverage AS c USING (code_departement)
    LEFT JOIN int_departement__mediators AS m USING (code_departement)
    LEFT JOIN observed AS a USING (code_departement)
    LEFT JOIN int_departement__assessments_standardised AS st
           ON st.code_departement = d.code_departement AND st.measure = 'illectronisme'
    LEFT JOIN access AS ac USING (code_departement)
    LEFT JOIN int_departement__socio AS so USING (code_departement)
    LEFT JOIN illectronism AS il USING (code_departement)
    LEFT JOIN fragility AS f USING (code_departement)
), plan AS (
    -- Mediator plan: FTE = people to reach / (caseload × horizon); the low
    -- estimate uses the largest caseload, the high one the smallest.
    SELECT *,
           round(people_to_reach_exact / (getvariable('caseload_max') * getvariable('horizon_years')), 1) AS mediator_fte_needed_low,
           round(people_to_reach_exact / (getvariable('caseload_central') * getvariable('horizon_years')), 1) AS mediator_fte_needed_central,
           round(people_to_reach_exact / (getvariable('caseload_min') * getvariable('horizon_years')), 1) AS mediator_fte_needed_high
    FROM base
), current_rows AS (
    SELECT * EXCLUDE (std, people_to_reach_exact),
           round(std.share_std, 4) AS assessments_share_illectronism_std,
           -- greatest and least skip NULLs: the CASE keeps a withheld share's bounds NULL.
           CASE WHEN std IS NOT NULL THEN round(greatest(0, std.share_std - 1.959964 * sqrt(std.variance)), 4) END AS assessments_share_illectronism_std_ci_low,
           CASE WHEN std IS NOT NULL THEN round(least(1, std.share_std + 1.959964 * sqrt(std.variance)), 4) END AS assessments_share_illectronism_std_ci_high,
           round(people_to_reach_exact) AS people_to_reach,
           round(mediator_fte_needed_low - mediator_posts, 1) + 0 AS mediator_gap_low,
           round(mediator_fte_needed_central - mediator_posts, 1) + 0 AS mediator_gap_central,
           round(mediator_fte_needed_high - mediator_posts, 1) + 0 AS mediator_gap_high
    FROM plan
), previous_build AS (
    -- The latest build whose figures differ from these: a rerun on the same
    -- data keeps showing the last real change (hist_departement records a
    -- build only when its figures changed, see 90_hist_departement.sql).
    SELECT max(h.build_id) AS build_id
    FROM hist_departement AS h
    JOIN current_rows AS c USING (code_departement)
    WHERE h.illectronism_people_est IS DISTINCT FROM c.illectronism_people_est
       OR h.illectronism_rate_est IS DISTINCT FROM c.illectronism_rate_est
       OR h.fragility_score IS DISTINCT FROM c.fragility_score
       OR h.fragility_rank IS DISTINCT FROM c.fragility_rank
       OR h.mediator_gap_central IS DISTINCT FROM c.mediator_gap_central
       OR h.share_premises_below_30mbps IS DISTINCT FROM c.share_premises_below_30mbps
       OR h.venues IS DISTINCT FROM c.venues
       OR h.assessments_share_illectronism IS DISTINCT FROM c.assessments_share_illectronism
), previous AS (
    SELECT *
    FROM hist_departement
    WHERE build_id = (SELECT build_id FROM previous_build)
)
SELECT c.*,
       p.built_at AS previous_built_at,
       p.illectronism_people_est AS previous_illectronism_people_est,
       p.fragility_score AS previous_fragility_score,
       p.fragility_rank AS previous_fragility_rank,
       p.mediator_gap_central AS previous_mediator_gap_central,
       p.share_premises_below_30mbps AS previous_share_premises_below_30mbps,
       p.venues AS previous_venues,
       p.assessments_share_illectronism AS previous_assessments_share_illectronism
FROM current_rows AS c
LEFT JOIN previous AS p USING (code_departement)
ORDER BY c.code_departement;

COMMENT ON TABLE mart_departement IS 'One row per département: estimated people in illectronism, observed need from self-assessments, connectivity, access to mediation venues, fragility index, mediator plan, and the previous run''s values.';
COMMENT ON COLUMN mart_departement.code_departement IS 'INSEE code of the département (01…95, 2A, 2B, 971…976).';
COMMENT ON COLUMN mart_departement.nom IS 'Name of the département (COG 2026).';
COMMENT ON COLUMN mart_departement.code_region IS 'INSEE code of the région.';
COMMENT ON COLUMN mart_departement.nom_region IS 'Name of the région.';
COMMENT ON COLUMN mart_departement.population IS 'Population municipale, sum over the COG 2026 communes (INSEE).';
COMMENT ON COLUMN mart_departement.venues IS 'Digital mediation venues located in the département by their coordinates (point in polygon), one per venue id.';
COMMENT ON COLUMN mart_departement.venues_per_10k IS 'Venues per 10 000 inhabitants: venues × 10 000 / population.';
COMMENT ON COLUMN mart_departement.population_beyond_10km IS 'Population (census 2021) of the communes whose centroid is more than 10 km, great-circle, from the nearest digital mediation venue loaded (any programme); NULL when no venue of the département was loaded (the listings loaded do not cover it) or the centroids carry no population (Mayotte in the bundled file).';
COMMENT ON COLUMN mart_departement.population_beyond_20km IS 'Population (census 2021) of the communes whose centroid is more than 20 km from the nearest venue loaded; NULL like population_beyond_10km.';
COMMENT ON COLUMN mart_departement.share_population_beyond_10km IS 'Share (0–1) of the census 2021 population living more than 10 km from the nearest venue loaded; NULL when no venue of the département was loaded, or when the centroids carry no population (Mayotte in the bundled file).';
COMMENT ON COLUMN mart_departement.premises IS 'Housing units and business premises counted by ARCEP in the latest coverage period of each commune (0 = no coverage data).';
COMMENT ON COLUMN mart_departement.coverage_period IS 'Most recent ARCEP coverage date among the communes of the département.';
COMMENT ON COLUMN mart_departement.share_premises_below_30mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 30 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_premises_below_8mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 8 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_aged_65_plus IS 'Share (0–1) of people aged 65 or more among people aged 15 or more (census 2017, IFN inputs: TX_65ETPLUS), communes weighted by their 2026 population; NULL without socio-demographic data.';
COMMENT ON COLUMN mart_departement.share_no_diploma_15_plus IS 'Share (0–1) of people aged 15 or more, out of school, with no diploma (census 2017, IFN inputs), population-weighted.';
COMMENT ON COLUMN mart_departement.poverty_rate IS 'Poverty rate (0–1, Filosofi via IFN inputs) over the communes where it is published (statistical secrecy hides it in small communes): see poverty_rate_population_covered.';
COMMENT ON COLUMN mart_departement.poverty_rate_population_covered IS 'Share (0–1) of the département''s 2026 population living in communes whose poverty rate is published.';
COMMENT ON COLUMN mart_departement.mediator_posts_attributed IS 'Conseiller numérique posts attributed to host structures of the département (latest programme export).';
COMMENT ON COLUMN mart_departement.mediator_posts IS 'Conseiller numérique posts recruited (filled) in host structures of the département (latest programme export).';
COMMENT ON COLUMN mart_departement.assessments_respondents IS 'Distinct self-assessment respondents living in the département (latest assessment of each person); NULL when the département''s figures are withheld (see assessments_suppression). Respondents are self-selected: not a sample of the population.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism (no internet use in 3 months, or no basic skill in at least 4 of the 5 areas); NULL when withheld (assessments_suppression). Not the population rate: respondents are self-selected.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_low IS 'Lower bound of the 95 % Wilson interval of assessments_share_illectronism (sampling uncertainty only: it does not correct the self-selection of respondents); NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_high IS 'Upper bound of the 95 % Wilson interval of assessments_share_illectronism; NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_capacites_faibles IS 'Share (0–1) of respondents in "capacités faibles" (an internet user missing basic skills in 1 to 3 of the 5 areas); NULL when withheld like assessments_share_illectronism. The three class shares add up to 1.';
COMMENT ON COLUMN mart_departement.assessments_share_autonome IS 'Share (0–1) of respondents "autonome" (basic skills or more in all 5 areas); NULL when withheld like assessments_share_illectronism. The three class shares add up to 1.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_information IS 'Share (0–1) of respondents without a basic skill in the DigComp area information and data; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_communication IS 'Share (0–1) of respondents without a basic skill in the DigComp area communication; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_content_creation IS 'Share (0–1) of respondents without a basic skill in the DigComp area content creation; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_safety IS 'Share (0–1) of respondents without a basic skill in the DigComp area safety; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_problem_solving IS 'Share (0–1) of respondents without a basic skill in the DigComp area problem solving; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_suppressed IS 'True when the département''s observed-need figures are withheld for statistical secrecy (shown as "s"): see assessments_suppression.';
COMMENT ON COLUMN mart_departement.assessments_suppression IS 'Why observed-need figures are withheld: primary = respondents but fewer than the secrecy threshold; secondary = enough respondents, but withheld so that the primary cells cannot be recomputed from the national total (the withheld départements together hold at least the threshold); NULL = published.';
COMMENT ON COLUMN mart_departement.population_15_plus IS 'People aged 15 or more, estimated: population × (share 15–24 + 25–64 + 65+) of each commune (int_commune__age_structure).';
COMMENT ON COLUMN mart_departement.age_data_coverage IS 'Share (0–1) of the population living in communes whose own age data were complete; the others took their département''s or France''s age structure.';
COMMENT ON COLUMN mart_departement.illectronism_people_est IS 'Estimated people aged 15+ in illectronism (indirect standardisation): Σ over communes and age groups of people × national rate of the group (2 % at 15–24, calibrated ≈5 % at 25–59, 25 % at 60–74, 61.9 % at 75+), calibrated so that France outside Mayotte totals 15.4 % of people aged 15+ (Insee 2021). A model estimate, not a count.';
COMMENT ON COLUMN mart_departement.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';
COMMENT ON COLUMN mart_departement.share_population_beyond_20km IS 'Share (0–1) of the census 2021 population living more than 20 km from the nearest venue loaded; NULL like share_population_beyond_10km.';
COMMENT ON COLUMN mart_departement.mediator_posts_per_10k_illectronism IS 'Conseiller numérique posts recruited per 10 000 people estimated in illectronism.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std IS 'Share (0–1) of respondents in illectronism, standardised to the département''s age structure (15+) over the five age bands of the assessments (direct standardisation): corrects the age mix of respondents, not their self-selection. NULL when withheld, when a band has no respondent, or when a band has fewer respondents than the secrecy threshold.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std_ci_low IS 'Lower bound of the 95 % interval of assessments_share_illectronism_std (normal approximation of Σ w² p (1 − p) / n over bands, bounded at 0).';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std_ci_high IS 'Upper bound of the 95 % interval of assessments_share_illectronism_std (bounded at 1).';
COMMENT ON COLUMN mart_departement.fragility_score IS 'Fragility index (1–10, higher = more fragile): the population-weighted mean of the commune scores, each the weighted mean of the commune''s national deciles on the indicators (connectivity, distance to a venue, 65+, no diploma, poverty, living alone, single parents, job seekers; weights from the configuration, equal by default).';
COMMENT ON COLUMN mart_departement.fragility_rank IS 'Rank of fragility_score among the 101 départements (1 = most fragile).';
COMMENT ON COLUMN mart_departement.fragility_rank_min IS 'Best (smallest) rank the département takes under the alternative weightings (each indicator doubled, or left out, in turn): with fragility_rank_max, how much the rank depends on the weights.';
COMMENT ON COLUMN mart_departement.fragility_rank_max IS 'Worst (largest) rank under the alternative weightings.';
COMMENT ON COLUMN mart_departement.people_to_reach IS 'People the mediator plan aims to reach: illectronism_people_est.';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_low IS 'Mediator FTE needed to reach people_to_reach within the horizon at the largest caseload: people_to_reach / (caseload_max × horizon_years) (see mart_build_parameters).';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_central IS 'Mediator FTE needed at the central caseload: people_to_reach / (caseload_central × horizon_years).';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_high IS 'Mediator FTE needed at the smallest caseload: people_to_reach / (caseload_min × horizon_years).';
COMMENT ON COLUMN mart_departement.mediator_gap_low IS 'mediator_fte_needed_low − mediator_posts: FTE to add (negative: more posts than needed).';
COMMENT ON COLUMN mart_departement.mediator_gap_central IS 'mediator_fte_needed_central − mediator_posts: FTE to add (negative: more posts than needed).';
COMMENT ON COLUMN mart_departement.mediator_gap_high IS 'mediator_fte_needed_high − mediator_posts: FTE to add (negative: more posts than needed).';
COMMENT ON COLUMN mart_departement.previous_built_at IS 'When the latest earlier build whose figures differ from these ran (hist_departement); the previous_* columns are its figures. NULL until the figures change once.';
COMMENT ON COLUMN mart_departement.previous_illectronism_people_est IS 'illectronism_people_est at the previous build.';
COMMENT ON COLUMN mart_departement.previous_fragility_score IS 'fragility_score at the previous build.';
COMMENT ON COLUMN mart_departement.previous_fragility_rank IS 'fragility_rank at the previous build.';
COMMENT ON COLUMN mart_departement.previous_mediator_gap_central IS 'mediator_gap_central at the previous build.';
COMMENT ON COLUMN mart_departement.previous_share_premises_below_30mbps IS 'share_premises_below_30mbps at the previous build.';
COMMENT ON COLUMN mart_departement.previous_venues IS 'venues at the previous build.';
COMMENT ON COLUMN mart_departement.previous_assessments_share_illectronism IS 'assessments_share_illectronism at the previous build (NULL when it was withheld).';
