-- Purpose: the indicators of each département for the latest run; what the
-- report draws and what analysts query. Formulas: the views named in each
-- CTE, and the methodology page.
-- Changes: previous_* are the figures of the latest earlier build that
-- differs (hist_departement).
-- Grain: one row per département (101 rows: metropolitan France, Corsica and the
-- five overseas départements), keyed by code_departement.
-- Secrecy: observed-need figures come from the perturbed counts of the
-- cell-key method (int_assessments__perturbed); those of a département with
-- fewer respondents than the threshold (run variable secrecy_threshold, 11
-- by default), none included, or withheld by secondary suppression, are NULL
-- (int_departement__assessments_published).
CREATE OR REPLACE TABLE mart_departement AS
WITH access AS (
    -- Venue listings are loaded per territory: a département without any
    -- venue loaded is taken as not covered by them, and gets no access
    -- figures rather than "everyone is far" (people per centroid:
    -- int_centroid__people_access).
    WITH rows AS (
        SELECT code_departement, distance_km, people
        FROM int_centroid__people_access
        WHERE code_departement IN (SELECT code_departement FROM int_departement__venues)
    )
    SELECT code_departement,
           sum(people) AS population_2021,
           coalesce(sum(people) FILTER (WHERE distance_km IS NULL OR distance_km > 10), 0) AS beyond_10km,
           coalesce(sum(people) FILTER (WHERE distance_km IS NULL OR distance_km > 20), 0) AS beyond_20km
    FROM rows
    GROUP BY code_departement
), illectronism AS (
    -- diag_illectronism_bands and diag_commune_illectronism are written by
    -- the diagnostics package (the small-area model) just before the marts.
    SELECT b.code AS code_departement,
           b.population_15_plus,
           b.people_est AS people,
           b.people_low, b.people_high, b.people_structure_2019,
           c.age_data_coverage, c.diploma_data_coverage, c.income_data_coverage
    FROM diag_illectronism_bands AS b
    JOIN (SELECT i.code_departement,
                 sum(a.population) FILTER (WHERE a.age_source = 'commune') / sum(a.population) AS age_data_coverage,
                 sum(i.population_15_plus) FILTER (WHERE i.low_diploma_source = 'commune') / sum(i.population_15_plus) AS diploma_data_coverage,
                 sum(i.population_15_plus) FILTER (WHERE i.income_source = 'commune') / sum(i.population_15_plus) AS income_data_coverage
          FROM diag_commune_illectronism AS i
          JOIN int_commune__age_structure AS a USING (code_insee)
          GROUP BY i.code_departement) AS c ON c.code_departement = b.code
    WHERE b.level = 'departement'
), covered AS (
    SELECT code_departement,
           bool_or(covered) FILTER (WHERE kind = 'venues') AS venues,
           bool_or(covered) FILTER (WHERE kind = 'france_services') AS france_services,
           bool_or(covered) FILTER (WHERE kind = 'mediators') AS mediators,
           bool_or(covered) FILTER (WHERE kind = 'coverage') AS coverage,
           bool_or(covered) FILTER (WHERE kind = 'socio') AS socio
    FROM int_departement__input_coverage
    GROUP BY code_departement
), observed AS (
    -- perturbed counts, NULL when the département's figures are withheld,
    -- which makes every share below NULL too.
    SELECT * FROM int_departement__assessments_published
), fragility AS (
    SELECT code_departement,
           any_value(score) FILTER (WHERE weight_set = 'base') AS score,
           any_value(rank) FILTER (WHERE weight_set = 'base') AS rank,
           min(rank) AS rank_min,
           max(rank) AS rank_max
    FROM tmp_departement_fragility
    GROUP BY code_departement
), base AS (
    SELECT d.code_departement,
           d.nom,
           d.code_region,
           d.nom_region,
           d.population,
           round(il.population_15_plus) AS population_15_plus,
           round(il.age_data_coverage, 4) AS age_data_coverage,
           round(il.diploma_data_coverage, 4) AS diploma_data_coverage,
           round(il.income_data_coverage, 4) AS income_data_coverage,
           round(il.people) AS illectronism_people_est,
           round(il.people_low) AS illectronism_people_low,
           round(il.people_high) AS illectronism_people_high,
           round(il.people / il.population_15_plus, 4) AS illectronism_rate_est,
           round(il.people_low / il.population_15_plus, 4) AS illectronism_rate_low,
           round(il.people_high / il.population_15_plus, 4) AS illectronism_rate_high,
           round(il.people_structure_2019 / il.population_15_plus, 4) AS illectronism_rate_structure_2019,
           d.code_departement = '976' AS illectronism_outside_survey,
           CASE WHEN cv.venues THEN coalesce(v.venues, 0) END AS venues,
           CASE WHEN cv.venues THEN round(coalesce(v.venues, 0) * 10000.0 / d.population, 3) END AS venues_per_10k,
           CASE WHEN cv.france_services THEN CAST(coalesce(fs.sites, 0) AS BIGINT) END AS france_services_sites,
           CAST(CASE WHEN ac.population_2021 > 0 THEN ac.beyond_10km END AS BIGINT) AS population_beyond_10km,
           CAST(CASE WHEN ac.population_2021 > 0 THEN ac.beyond_20km END AS BIGINT) AS population_beyond_20km,
           CASE WHEN ac.population_2021 > 0
                THEN round(ac.beyond_10km / ac.population_2021, 4) END AS share_population_beyond_10km,
           CASE WHEN ac.population_2021 > 0
                THEN round(ac.beyond_20km / ac.population_2021, 4) END AS share_population_beyond_20km,
           CASE WHEN cv.coverage THEN CAST(coalesce(c.premises, 0) AS BIGINT) END AS premises,
           c.coverage_period,
           CASE WHEN c.premises > 0
                THEN round(1 - c.premises_ge_30mbps / c.premises, 4) END AS share_premises_below_30mbps,
           CASE WHEN c.premises > 0
                THEN round(1 - c.premises_ge_8mbps / c.premises, 4) END AS share_premises_below_8mbps,
           round(so.share_aged_65_plus, 4) AS share_aged_65_plus,
           round(so.share_low_diploma_15_plus, 4) AS share_low_diploma_15_plus,
           round(so.share_low_income_households, 4) AS share_low_income_households,
           round(so.low_income_population_covered, 4) AS low_income_population_covered,
           CASE WHEN cv.mediators THEN CAST(coalesce(m.posts_attributed, 0) AS BIGINT) END AS mediator_posts_attributed,
           CASE WHEN cv.mediators THEN CAST(coalesce(m.posts_recruited, 0) AS BIGINT) END AS mediator_posts,
           CASE WHEN cv.mediators THEN round(coalesce(m.posts_recruited, 0) * 10000.0 / nullif(il.people, 0), 3) END AS mediator_posts_per_10k_illectronism,
           a.n AS assessments_respondents,
           round(perturbed_share(a.illectronisme, a.n), 4) AS assessments_share_illectronism,
           round(perturbed_low(a.illectronisme, a.n), 4) AS assessments_share_illectronism_ci_low,
           round(perturbed_high(a.illectronisme, a.n), 4) AS assessments_share_illectronism_ci_high,
           round(perturbed_share(a.capacites_faibles, a.n), 4) AS assessments_share_capacites_faibles,
           round(perturbed_share(a.autonome, a.n), 4) AS assessments_share_autonome,
           round(perturbed_share(a.no_basic_information, a.n), 4) AS assessments_share_no_basic_information,
           round(perturbed_share(a.no_basic_communication, a.n), 4) AS assessments_share_no_basic_communication,
           round(perturbed_share(a.no_basic_content_creation, a.n), 4) AS assessments_share_no_basic_content_creation,
           round(perturbed_share(a.no_basic_safety, a.n), 4) AS assessments_share_no_basic_safety,
           round(perturbed_share(a.no_basic_problem_solving, a.n), 4) AS assessments_share_no_basic_problem_solving,
           CASE WHEN a.n IS NOT NULL AND st.bands_with_respondents = 5 THEN published(st.smallest_band, st) END AS std,
           a.suppression IS NOT NULL AS assessments_suppressed,
           a.suppression AS assessments_suppression,
           round(f.score, 3) AS fragility_score,
           CAST(f.rank AS INTEGER) AS fragility_rank,
           CAST(f.rank_min AS INTEGER) AS fragility_rank_min,
           CAST(f.rank_max AS INTEGER) AS fragility_rank_max,
           il.people AS people_to_reach_exact,
           il.people_low AS people_low_exact,
           il.people_high AS people_high_exact,
           CASE WHEN cv.mediators THEN coalesce(m.posts_recruited, 0) END AS posts_exact,
           CASE WHEN cv.france_services THEN coalesce(fs.sites, 0) END AS sites_exact
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
    LEFT JOIN int_departement__france_services AS fs USING (code_departement)
    LEFT JOIN covered AS cv USING (code_departement)
), plan AS (
    -- Mediator plan: FTE needed = people to reach / (caseload × horizon);
    -- the low estimate takes the low end of the estimate's band and the
    -- largest caseload, the high one the high end and the smallest. The
    -- workforce: conseiller numérique posts recruited, plus France Services
    -- agents (agents per site × sites) counted at their share of digital
    -- mediation; low without them, high at the largest share. The
    -- workforce is unknown (NULL) where an input does not cover the
    -- département.
    SELECT *,
           mediator_fte(people_low_exact, getvariable('caseload_max')) AS fte_low_exact,
           mediator_fte(people_to_reach_exact, getvariable('caseload_central')) AS fte_central_exact,
           mediator_fte(people_high_exact, getvariable('caseload_min')) AS fte_high_exact,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_min')) AS workforce_low_exact,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_central')) AS workforce_central_exact,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_max')) AS workforce_high_exact
    FROM base
), current_rows AS (
    SELECT * EXCLUDE (std, people_to_reach_exact, people_low_exact, people_high_exact, posts_exact, sites_exact,
                      fte_low_exact, fte_central_exact, fte_high_exact,
                      workforce_low_exact, workforce_central_exact, workforce_high_exact),
           round(std.share_std, 4) AS assessments_share_illectronism_std,
           -- greatest and least skip NULLs: the CASE keeps a withheld share's bounds NULL.
           CASE WHEN std IS NOT NULL THEN round(greatest(0, std.share_std - 1.959964 * sqrt(std.variance)), 4) END AS assessments_share_illectronism_std_ci_low,
           CASE WHEN std IS NOT NULL THEN round(least(1, std.share_std + 1.959964 * sqrt(std.variance)), 4) END AS assessments_share_illectronism_std_ci_high,
           round(people_to_reach_exact) AS people_to_reach,
           round(fte_low_exact, 1) AS mediator_fte_needed_low,
           round(fte_central_exact, 1) AS mediator_fte_needed_central,
           round(fte_high_exact, 1) AS mediator_fte_needed_high,
           round(workforce_low_exact, 1) AS mediator_workforce_low,
           round(workforce_central_exact, 1) AS mediator_workforce_central,
           round(workforce_high_exact, 1) AS mediator_workforce_high,
           -- gaps: + 0 turns -0.0 into 0.0
           round(fte_low_exact - workforce_high_exact, 1) + 0 AS mediator_gap_low,
           round(fte_central_exact - workforce_central_exact, 1) + 0 AS mediator_gap_central,
           round(fte_high_exact - workforce_low_exact, 1) + 0 AS mediator_gap_high,
           mediator_plan_status(fte_low_exact, fte_high_exact, workforce_low_exact, workforce_high_exact) AS mediator_plan_status
    FROM plan
), previous_build AS (
    -- The latest build whose figures differ from these: a rerun on the same
    -- data keeps showing the last real change (hist_departement records a
    -- build only when its figures changed, see hist_departement.sql).
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
COMMENT ON COLUMN mart_departement.venues IS 'Digital mediation venues located in the département by their coordinates (point in polygon), after merging the listings of one place; NULL when no listing loaded covers the département (see mart_input_coverage).';
COMMENT ON COLUMN mart_departement.venues_per_10k IS 'Venues per 10 000 inhabitants: venues × 10 000 / population; NULL when no listing covers the département.';
COMMENT ON COLUMN mart_departement.population_beyond_10km IS 'Population (census 2021) of the communes whose centroid is more than 10 km, great-circle, from the nearest digital mediation venue loaded (any programme); NULL when no venue of the département was loaded (the listings loaded do not cover it). Mayotte, outside the census 2021 file: its communes'' legal population (COG 2026).';
COMMENT ON COLUMN mart_departement.population_beyond_20km IS 'Population (census 2021) of the communes whose centroid is more than 20 km from the nearest venue loaded; NULL like population_beyond_10km.';
COMMENT ON COLUMN mart_departement.share_population_beyond_10km IS 'Share (0–1) of the census 2021 population living more than 10 km from the nearest venue loaded; NULL when no venue of the département was loaded. Mayotte: of its legal population (COG 2026), absent from the census 2021 file.';
COMMENT ON COLUMN mart_departement.premises IS 'Housing units and business premises counted by ARCEP in the latest coverage period of each commune; NULL when no coverage file describes the département.';
COMMENT ON COLUMN mart_departement.coverage_period IS 'Most recent ARCEP coverage date among the communes of the département.';
COMMENT ON COLUMN mart_departement.share_premises_below_30mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 30 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_premises_below_8mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 8 Mbit/s; NULL without coverage data.';
COMMENT ON COLUMN mart_departement.share_aged_65_plus IS 'Share (0–1) of people aged 65 or more among people aged 15 or more (census 2017, IFN inputs: TX_65ETPLUS), communes weighted by their 2026 population; NULL without socio-demographic data.';
COMMENT ON COLUMN mart_departement.share_low_diploma_15_plus IS 'Share (0–1) of people aged 15 or more out of school with at most a CAP or BEP (no diploma, CEP, BEPC, CAP, BEP), of all people aged 15+ (census 2017, IFN input TX_NSCOL15P), population-weighted.';
COMMENT ON COLUMN mart_departement.share_low_income_households IS 'Share (0–1) of tax households with a reference income up to 12 000 € a year (DGFiP IRCOM via the IFN input TX_POVERTY, not a poverty rate), over the communes where it is published: see low_income_population_covered.';
COMMENT ON COLUMN mart_departement.low_income_population_covered IS 'Share (0–1) of the département''s 2026 population living in communes whose share of low-income tax households is published.';
COMMENT ON COLUMN mart_departement.mediator_posts_attributed IS 'Conseiller numérique posts attributed to host structures of the département (latest programme export); NULL when no export is loaded.';
COMMENT ON COLUMN mart_departement.mediator_posts IS 'Conseiller numérique posts recruited (filled) in host structures of the département (latest programme export, a national file: 0 is a real zero); NULL when no export is loaded.';
COMMENT ON COLUMN mart_departement.assessments_respondents IS 'Distinct self-assessment respondents living in the département (latest assessment of each person), perturbed by the cell-key method (± at most the maximum noise of mart_build_parameters, never below the secrecy threshold); NULL when the département''s figures are withheld, or when it has no respondent: the two are not told apart (assessments_suppression).';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism (no internet use in 3 months, or no basic skill in at least 4 of the 5 areas), from perturbed counts: min(x, n) / n; NULL when withheld (assessments_suppression). Not the population rate: respondents are self-selected.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_low IS 'Lower bound of the 95 % interval of assessments_share_illectronism: the Wilson interval widened by the perturbation''s noise (methodology page). Sampling and perturbation only: it does not correct the self-selection of respondents. NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_ci_high IS 'Upper bound of the 95 % interval of assessments_share_illectronism (Wilson interval widened by the perturbation''s noise); NULL when the share is withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_capacites_faibles IS 'Share (0–1) of respondents in "capacités faibles" (an internet user missing basic skills in 1 to 3 of the 5 areas), from perturbed counts; NULL when withheld like assessments_share_illectronism.';
COMMENT ON COLUMN mart_departement.assessments_share_autonome IS 'Share (0–1) of respondents "autonome" (basic skills or more in all 5 areas), from perturbed counts; NULL when withheld like assessments_share_illectronism. Each class is perturbed on its own: the three shares add up to 1 within a few respondents'' worth, not exactly.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_information IS 'Share (0–1) of respondents without a basic skill in the DigComp area information and data; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_communication IS 'Share (0–1) of respondents without a basic skill in the DigComp area communication; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_content_creation IS 'Share (0–1) of respondents without a basic skill in the DigComp area content creation; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_safety IS 'Share (0–1) of respondents without a basic skill in the DigComp area safety; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_share_no_basic_problem_solving IS 'Share (0–1) of respondents without a basic skill in the DigComp area problem solving; NULL when withheld.';
COMMENT ON COLUMN mart_departement.assessments_suppressed IS 'True when the département''s observed-need figures are withheld for statistical secrecy (shown as "s"): see assessments_suppression.';
COMMENT ON COLUMN mart_departement.assessments_suppression IS 'Why observed-need figures are withheld: primary = fewer respondents than the secrecy threshold, none included; secondary = enough respondents, but withheld so that the primary ones cannot be recomputed from France''s total; NULL when published.';
COMMENT ON COLUMN mart_departement.population_15_plus IS 'People aged 15 or more, estimated: population × (share 15–24 + 25–64 + 65+) of each commune (int_commune__age_structure; Mayotte: its census structure).';
COMMENT ON COLUMN mart_departement.age_data_coverage IS 'Share (0–1) of the population living in communes whose own age data were complete; the others took their département''s, France''s or (Mayotte) their census structure.';
COMMENT ON COLUMN mart_departement.diploma_data_coverage IS 'Share (0–1) of people aged 15+ living in communes whose own diploma data (socio file) fed the illectronism model; the others took their département''s, région''s or side of the sea''s (Mayotte: its census figure).';
COMMENT ON COLUMN mart_departement.income_data_coverage IS 'Share (0–1) of people aged 15+ living in communes whose own income data (share of tax households with a reference income up to 12 000 €) fed the model; the others took their département''s mean.';
COMMENT ON COLUMN mart_departement.illectronism_people_est IS 'Estimated people aged 15+ in illectronism, central estimate of the small-area model: each commune''s people aged 15+ split by age, diploma, standard of living and living alone, and rates fitted to reproduce every published Insee margin (2021) and the published regional rates (2019); see mart_illectronism_margins and the methodology page. A model estimate, not a count.';
COMMENT ON COLUMN mart_departement.illectronism_people_low IS 'Low end of the 90 % band of illectronism_people_est: 5th percentile of the model refitted on margins drawn within their sampling and rounding errors, half of the fits with the 2019 age gradient, with the spread of published local figures around the model.';
COMMENT ON COLUMN mart_departement.illectronism_people_high IS 'High end of the 90 % band of illectronism_people_est (95th percentile of the draws).';
COMMENT ON COLUMN mart_departement.illectronism_rate_low IS 'illectronism_people_low / population_15_plus (0–1).';
COMMENT ON COLUMN mart_departement.illectronism_rate_high IS 'illectronism_people_high / population_15_plus (0–1).';
COMMENT ON COLUMN mart_departement.illectronism_rate_structure_2019 IS 'The rate under the model fitted to the 2019 age gradient (Insee Analyses n° 85) at the 2021 level: a sensitivity of the central estimate to the survey year.';
COMMENT ON COLUMN mart_departement.illectronism_outside_survey IS 'True for Mayotte, outside the field of Insee''s survey: its estimate applies the overseas rates to its own census structure, an extrapolation.';
COMMENT ON COLUMN mart_departement.france_services_sites IS 'France Services sites in the département (venues of the programme France Services); NULL when no listing of France Services sites covers it.';
COMMENT ON COLUMN mart_departement.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';
COMMENT ON COLUMN mart_departement.share_population_beyond_20km IS 'Share (0–1) of the census 2021 population living more than 20 km from the nearest venue loaded; NULL like share_population_beyond_10km.';
COMMENT ON COLUMN mart_departement.mediator_posts_per_10k_illectronism IS 'Conseiller numérique posts recruited per 10 000 people estimated in illectronism; NULL when no export is loaded.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std IS 'Share (0–1) of respondents in illectronism, standardised to the département''s age structure (15+) over the five age bands of the assessments (direct standardisation): corrects the age mix of respondents, not their self-selection. NULL when withheld, when a band has no respondent, or when a band has fewer respondents than the secrecy threshold.';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std_ci_low IS 'Lower bound of the 95 % interval of assessments_share_illectronism_std (normal approximation of Σ w² (p (1 − p) / n + V (1 + p²) / n²) over bands: sampling and the perturbation''s noise, bounded at 0).';
COMMENT ON COLUMN mart_departement.assessments_share_illectronism_std_ci_high IS 'Upper bound of the 95 % interval of assessments_share_illectronism_std (bounded at 1).';
COMMENT ON COLUMN mart_departement.fragility_score IS 'Fragility index (1–10, higher = more fragile): the population-weighted mean of the commune scores, each the weighted mean of the commune''s national deciles on the indicators (connectivity, distance to a venue, 65+, no diploma, poverty, living alone, single parents, job seekers; weights from the configuration, equal by default).';
COMMENT ON COLUMN mart_departement.fragility_rank IS 'Rank of fragility_score among the 101 départements (1 = most fragile).';
COMMENT ON COLUMN mart_departement.fragility_rank_min IS 'Best (smallest) rank the département takes under the alternative weightings (each indicator doubled, or left out, in turn): with fragility_rank_max, how much the rank depends on the weights.';
COMMENT ON COLUMN mart_departement.fragility_rank_max IS 'Worst (largest) rank under the alternative weightings.';
COMMENT ON COLUMN mart_departement.people_to_reach IS 'People the mediator plan aims to reach: illectronism_people_est (band: illectronism_people_low to _high).';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_low IS 'Mediator FTE needed at the low end: illectronism_people_low / (caseload_max × horizon_years) (see mart_build_parameters).';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_central IS 'Mediator FTE needed, central: illectronism_people_est / (caseload_central × horizon_years).';
COMMENT ON COLUMN mart_departement.mediator_fte_needed_high IS 'Mediator FTE needed at the high end: illectronism_people_high / (caseload_min × horizon_years).';
COMMENT ON COLUMN mart_departement.mediator_workforce_low IS 'Workforce counted, low: conseiller numérique posts recruited plus France Services agents at the smallest share of digital mediation (france_services_share_min); NULL when an input does not cover the département.';
COMMENT ON COLUMN mart_departement.mediator_workforce_central IS 'Workforce counted, central: mediator_posts + france_services_sites × france_services_agents × france_services_share_central (FTE).';
COMMENT ON COLUMN mart_departement.mediator_workforce_high IS 'Workforce counted, high: with the largest share of France Services agents'' time (france_services_share_max).';
COMMENT ON COLUMN mart_departement.mediator_plan_status IS 'surplus when even mediator_fte_needed_high is below mediator_workforce_low; deficit when even mediator_fte_needed_low is above mediator_workforce_high; undetermined when the band of the need overlaps the workforce; NULL when the workforce is unknown.';
COMMENT ON COLUMN mart_departement.mediator_gap_low IS 'mediator_fte_needed_low − mediator_workforce_high: the smallest gap the band allows (FTE to add; negative: more than needed).';
COMMENT ON COLUMN mart_departement.mediator_gap_central IS 'mediator_fte_needed_central − mediator_workforce_central: FTE to add, central (negative: more than needed; read it with mediator_plan_status).';
COMMENT ON COLUMN mart_departement.mediator_gap_high IS 'mediator_fte_needed_high − mediator_workforce_low: the largest gap the band allows.';
COMMENT ON COLUMN mart_departement.previous_built_at IS 'When the latest earlier build whose figures differ from these ran (hist_departement); the previous_* columns are its figures. NULL until the figures change once.';
COMMENT ON COLUMN mart_departement.previous_illectronism_people_est IS 'illectronism_people_est at the previous build.';
COMMENT ON COLUMN mart_departement.previous_fragility_score IS 'fragility_score at the previous build.';
COMMENT ON COLUMN mart_departement.previous_fragility_rank IS 'fragility_rank at the previous build.';
COMMENT ON COLUMN mart_departement.previous_mediator_gap_central IS 'mediator_gap_central at the previous build.';
COMMENT ON COLUMN mart_departement.previous_share_premises_below_30mbps IS 'share_premises_below_30mbps at the previous build.';
COMMENT ON COLUMN mart_departement.previous_venues IS 'venues at the previous build.';
COMMENT ON COLUMN mart_departement.previous_assessments_share_illectronism IS 'assessments_share_illectronism at the previous build (NULL when it was withheld).';
