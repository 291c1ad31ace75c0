-- Purpose: the indicators of each intercommunality (EPCI à fiscalité
-- propre, DGCL 1 January 2026) that aggregate from its communes: what a
-- département plans with its EPCIs and what analysts query between the
-- commune and the département.
-- Grain: one row per EPCI of ref_epci (1 255), keyed by code_epci. An EPCI
-- astride départements keeps all its communes: code_departement is the
-- département holding most of its population, departements lists them all.
-- The four island communes in no EPCI (ref_commune_epci.code_epci NULL)
-- are in no row: mart_commune has them.
-- Coverage: a figure resting on an input loaded per département (venues,
-- coverage, mediator posts) is given only when that input covers every
-- département of the EPCI; otherwise NULL, never a partial sum.
-- Secrecy: the observed need (self-assessments) is perturbed by the
-- cell-key method and withheld under the joint rule of
-- int_epci__assessments_secrecy: no combination of the EPCI, commune,
-- département and France totals isolates fewer respondents than the
-- threshold.
CREATE OR REPLACE TABLE mart_epci AS
WITH members AS (
    SELECT e.code_epci, c.*
    FROM ref_commune_epci AS e
    JOIN mart_commune AS c USING (code_insee)
    WHERE e.code_epci IS NOT NULL
), covered AS (
    SELECT code_departement,
           bool_or(covered) FILTER (WHERE kind = 'venues') AS venues,
           bool_or(covered) FILTER (WHERE kind = 'mediators') AS mediators,
           bool_or(covered) FILTER (WHERE kind = 'coverage') AS coverage,
           bool_or(covered) FILTER (WHERE kind = 'france_services') AS france_services
    FROM int_departement__input_coverage
    GROUP BY code_departement
), by_departement AS (
    SELECT m.code_epci, m.code_departement, sum(m.population) AS population, count(*) AS communes
    FROM members AS m
    GROUP BY m.code_epci, m.code_departement
), departements AS (
    SELECT b.code_epci,
           first(b.code_departement ORDER BY b.population DESC, b.code_departement) AS code_departement,
           string_agg(b.code_departement, ',' ORDER BY b.code_departement) AS departements,
           count(*) AS n_departements,
           bool_and(coalesce(cv.venues, false)) AS venues_covered,
           bool_and(coalesce(cv.mediators, false)) AS mediators_covered,
           bool_and(coalesce(cv.coverage, false)) AS coverage_covered,
           bool_and(coalesce(cv.france_services, false)) AS france_services_covered
    FROM by_departement AS b
    LEFT JOIN covered AS cv USING (code_departement)
    GROUP BY b.code_epci
), access AS (
    -- people by centroid and distance to the nearest venue, as the
    -- département's access figures count them
    WITH rows AS (
        SELECT e.code_epci, a.distance_km, a.people
        FROM int_centroid__people_access AS a
        JOIN ref_commune_epci AS e USING (code_insee)
        WHERE e.code_epci IS NOT NULL
    )
    SELECT code_epci,
           sum(people) AS people,
           coalesce(sum(people) FILTER (WHERE distance_km IS NULL OR distance_km > 10), 0) AS beyond_10km,
           coalesce(sum(people) FILTER (WHERE distance_km IS NULL OR distance_km > 20), 0) AS beyond_20km
    FROM rows
    GROUP BY code_epci
), france_services AS (
    SELECT e.code_epci, count(DISTINCT l.id) AS sites
    FROM int_venues__france_services_lists AS l
    JOIN ref_commune_epci AS e USING (code_insee)
    WHERE e.code_epci IS NOT NULL
    GROUP BY e.code_epci
), communes AS (
    SELECT code_epci,
           count(*) AS communes,
           sum(population) AS population,
           sum(premises) AS premises,
           sum(premises * share_premises_below_30mbps) AS premises_below_30mbps,
           sum(premises * share_premises_below_8mbps) AS premises_below_8mbps,
           sum(venues) AS venues,
           sum(mediator_posts) AS mediator_posts,
           sum(population * fragility_score) FILTER (WHERE fragility_score IS NOT NULL)
               / nullif(sum(population) FILTER (WHERE fragility_score IS NOT NULL), 0) AS fragility_score,
           sum(population) FILTER (WHERE fragility_score IS NOT NULL) / sum(population) AS fragility_coverage,
           sum(population) FILTER (WHERE fragility_decile >= 9) AS population_fragility_decile_9_10
    FROM members
    GROUP BY code_epci
)
SELECT * EXCLUDE (people_low_exact, people_exact, people_high_exact, posts_exact, sites_exact,
                  fte_low, fte_central, fte_high, workforce_low, workforce_central, workforce_high),
       round(fte_low, 1) AS mediator_fte_needed_low,
       round(fte_central, 1) AS mediator_fte_needed_central,
       round(fte_high, 1) AS mediator_fte_needed_high,
       round(workforce_low, 1) AS mediator_workforce_low,
       round(workforce_central, 1) AS mediator_workforce_central,
       round(workforce_high, 1) AS mediator_workforce_high,
       -- gaps: + 0 turns -0.0 into 0.0
       round(fte_low - workforce_high, 1) + 0 AS mediator_gap_low,
       round(fte_central - workforce_central, 1) + 0 AS mediator_gap_central,
       round(fte_high - workforce_low, 1) + 0 AS mediator_gap_high,
       mediator_plan_status(fte_low, fte_high, workforce_low, workforce_high) AS mediator_plan_status
FROM (
    -- the mediator plan of mart_departement, on the EPCI's own band
    SELECT *,
           mediator_fte(people_low_exact, getvariable('caseload_max')) AS fte_low,
           mediator_fte(people_exact, getvariable('caseload_central')) AS fte_central,
           mediator_fte(people_high_exact, getvariable('caseload_min')) AS fte_high,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_min')) AS workforce_low,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_central')) AS workforce_central,
           mediator_workforce(posts_exact, sites_exact, getvariable('france_services_share_max')) AS workforce_high
    FROM (
        SELECT r.code_epci,
               r.nom,
               r.type,
               d.code_departement,
               d.departements,
               d.n_departements > 1 AS straddles_departements,
               CAST(c.communes AS INTEGER) AS communes,
               CAST(c.population AS BIGINT) AS population,
               round(b.population_15_plus) AS population_15_plus,
               round(b.people_est) AS illectronism_people_est,
               round(b.people_low) AS illectronism_people_low,
               round(b.people_high) AS illectronism_people_high,
               round(b.people_est / nullif(b.population_15_plus, 0), 4) AS illectronism_rate_est,
               round(b.people_low / nullif(b.population_15_plus, 0), 4) AS illectronism_rate_low,
               round(b.people_high / nullif(b.population_15_plus, 0), 4) AS illectronism_rate_high,
               CASE WHEN d.coverage_covered THEN CAST(coalesce(c.premises, 0) AS BIGINT) END AS premises,
               CASE WHEN d.coverage_covered AND c.premises > 0 THEN round(c.premises_below_30mbps / c.premises, 4) END AS share_premises_below_30mbps,
               CASE WHEN d.coverage_covered AND c.premises > 0 THEN round(c.premises_below_8mbps / c.premises, 4) END AS share_premises_below_8mbps,
               CASE WHEN d.venues_covered THEN CAST(coalesce(c.venues, 0) AS BIGINT) END AS venues,
               CASE WHEN d.venues_covered THEN round(coalesce(c.venues, 0) * 10000.0 / nullif(c.population, 0), 3) END AS venues_per_10k,
               CASE WHEN d.venues_covered AND a.people > 0 THEN round(a.beyond_10km / a.people, 4) END AS share_population_beyond_10km,
               CASE WHEN d.venues_covered AND a.people > 0 THEN round(a.beyond_20km / a.people, 4) END AS share_population_beyond_20km,
               CASE WHEN d.mediators_covered THEN CAST(coalesce(c.mediator_posts, 0) AS BIGINT) END AS mediator_posts,
               CASE WHEN d.mediators_covered THEN round(coalesce(c.mediator_posts, 0) * 10000.0 / nullif(b.people_est, 0), 3) END AS mediator_posts_per_10k_illectronism,
               round(c.fragility_score, 3) AS fragility_score,
               round(c.fragility_coverage, 4) AS fragility_coverage,
               round(coalesce(c.population_fragility_decile_9_10, 0) / nullif(c.population, 0), 4) AS share_population_fragility_decile_9_10,
               o.n AS assessments_respondents,
               round(perturbed_share(o.illectronisme, o.n), 4) AS assessments_share_illectronism,
               round(perturbed_low(o.illectronisme, o.n), 4) AS assessments_share_illectronism_ci_low,
               round(perturbed_high(o.illectronisme, o.n), 4) AS assessments_share_illectronism_ci_high,
               o.suppressed AS assessments_suppressed,
               CASE WHEN d.france_services_covered THEN CAST(coalesce(fs.sites, 0) AS BIGINT) END AS france_services_sites,
               b.people_low AS people_low_exact, b.people_est AS people_exact, b.people_high AS people_high_exact,
               CASE WHEN d.mediators_covered THEN coalesce(c.mediator_posts, 0) END AS posts_exact,
               CASE WHEN d.france_services_covered THEN coalesce(fs.sites, 0) END AS sites_exact
        FROM ref_epci AS r
        LEFT JOIN departements AS d USING (code_epci)
        LEFT JOIN communes AS c USING (code_epci)
        LEFT JOIN access AS a USING (code_epci)
        LEFT JOIN diag_illectronism_bands AS b ON b.level = 'epci' AND b.code = r.code_epci
        LEFT JOIN int_epci__assessments_published AS o USING (code_epci)
        LEFT JOIN france_services AS fs USING (code_epci)
    )
)
ORDER BY code_epci;

COMMENT ON TABLE mart_epci IS 'One row per EPCI à fiscalité propre (DGCL, 1 January 2026): estimated people in illectronism with its band, connectivity, venues and access, mediator posts and fragility, aggregated from its communes; the observed need of its self-assessment respondents under statistical secrecy.';
COMMENT ON COLUMN mart_epci.code_epci IS 'SIREN of the EPCI (DGCL).';
COMMENT ON COLUMN mart_epci.nom IS 'Name of the EPCI, as the DGCL writes it.';
COMMENT ON COLUMN mart_epci.type IS 'CC communauté de communes, CA d''agglomération, CU urbaine, METRO métropole, MET69 Métropole de Lyon.';
COMMENT ON COLUMN mart_epci.code_departement IS 'INSEE code of the département holding most of its population (municipal population, COG 2026).';
COMMENT ON COLUMN mart_epci.departements IS 'INSEE codes of every département it has communes in, comma-separated, in code order.';
COMMENT ON COLUMN mart_epci.straddles_departements IS 'True when its communes lie in more than one département; every figure then covers all of its communes.';
COMMENT ON COLUMN mart_epci.communes IS 'Its member communes (COG 2026).';
COMMENT ON COLUMN mart_epci.population IS 'Population municipale of its communes (INSEE, COG 2026).';
COMMENT ON COLUMN mart_epci.population_15_plus IS 'People aged 15 or more in its communes, estimated from their age structure.';
COMMENT ON COLUMN mart_epci.illectronism_people_est IS 'Estimated people aged 15+ in illectronism: the sum of its communes'' central estimates (small-area model, see mart_commune).';
COMMENT ON COLUMN mart_epci.illectronism_people_low IS 'Low end of the 90 % band: 5th percentile of the model''s draws summed over its communes (not a sum of the communes'' low ends).';
COMMENT ON COLUMN mart_epci.illectronism_people_high IS 'High end of the 90 % band: 95th percentile of the summed draws.';
COMMENT ON COLUMN mart_epci.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';
COMMENT ON COLUMN mart_epci.illectronism_rate_low IS 'illectronism_people_low / population_15_plus (0–1).';
COMMENT ON COLUMN mart_epci.illectronism_rate_high IS 'illectronism_people_high / population_15_plus (0–1).';
COMMENT ON COLUMN mart_epci.premises IS 'Premises counted by ARCEP in its communes; NULL unless coverage data covers every one of its départements.';
COMMENT ON COLUMN mart_epci.share_premises_below_30mbps IS 'Share (0–1) of its premises not eligible to 30 Mbit/s; NULL as premises.';
COMMENT ON COLUMN mart_epci.share_premises_below_8mbps IS 'Share (0–1) of its premises not eligible to 8 Mbit/s; NULL as premises.';
COMMENT ON COLUMN mart_epci.venues IS 'Digital mediation venues located in its communes; NULL unless the listings loaded cover every one of its départements.';
COMMENT ON COLUMN mart_epci.venues_per_10k IS 'venues per 10 000 inhabitants; NULL as venues.';
COMMENT ON COLUMN mart_epci.share_population_beyond_10km IS 'Share (0–1) of its people (census 2021, by commune centroid) more than 10 km from the nearest venue loaded; NULL as venues.';
COMMENT ON COLUMN mart_epci.share_population_beyond_20km IS 'Share (0–1) of its people more than 20 km from the nearest venue loaded; NULL as venues.';
COMMENT ON COLUMN mart_epci.mediator_posts IS 'Conseiller numérique posts recruited in host structures of its communes; NULL unless the posts file covers every one of its départements.';
COMMENT ON COLUMN mart_epci.mediator_posts_per_10k_illectronism IS 'mediator_posts per 10 000 people in illectronism (central estimate); NULL as mediator_posts.';
COMMENT ON COLUMN mart_epci.fragility_score IS 'Mean fragility score (1–10) of its communes, weighted by population, over the communes that have one.';
COMMENT ON COLUMN mart_epci.fragility_coverage IS 'Share (0–1) of its population in communes with a fragility score: what fragility_score rests on.';
COMMENT ON COLUMN mart_epci.share_population_fragility_decile_9_10 IS 'Share (0–1) of its population living in communes of fragility decile 9 or 10 (the most fragile fifth of France''s people).';
COMMENT ON COLUMN mart_epci.france_services_sites IS 'France Services sites located in its communes; NULL unless a France Services list covers every one of its départements.';
COMMENT ON COLUMN mart_epci.mediator_fte_needed_low IS 'Mediator FTE needed at the low end: illectronism_people_low / (caseload_max × horizon_years), as mart_departement.';
COMMENT ON COLUMN mart_epci.mediator_fte_needed_central IS 'Mediator FTE needed, central: illectronism_people_est / (caseload_central × horizon_years).';
COMMENT ON COLUMN mart_epci.mediator_fte_needed_high IS 'Mediator FTE needed at the high end: illectronism_people_high / (caseload_min × horizon_years).';
COMMENT ON COLUMN mart_epci.mediator_workforce_low IS 'Workforce counted, low: mediator_posts + france_services_sites × france_services_agents × france_services_share_min (FTE); NULL when an input does not cover all its départements.';
COMMENT ON COLUMN mart_epci.mediator_workforce_central IS 'Workforce counted, central: with france_services_share_central.';
COMMENT ON COLUMN mart_epci.mediator_workforce_high IS 'Workforce counted, high: with france_services_share_max.';
COMMENT ON COLUMN mart_epci.mediator_gap_low IS 'FTE gap at the low end: mediator_fte_needed_low − mediator_workforce_high (negative: more workforce than need).';
COMMENT ON COLUMN mart_epci.mediator_gap_central IS 'FTE gap, central: mediator_fte_needed_central − mediator_workforce_central.';
COMMENT ON COLUMN mart_epci.mediator_gap_high IS 'FTE gap at the high end: mediator_fte_needed_high − mediator_workforce_low.';
COMMENT ON COLUMN mart_epci.mediator_plan_status IS 'deficit when even the lowest need exceeds the largest workforce, surplus when even the highest need is below the smallest, undetermined when they overlap, NULL when the workforce is unknown.';
COMMENT ON COLUMN mart_epci.assessments_respondents IS 'Distinct self-assessment respondents living in its communes, perturbed by the cell-key method; NULL when withheld for statistical secrecy or when there is none: the two are not told apart (assessments_suppressed). Respondents are self-selected.';
COMMENT ON COLUMN mart_epci.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism, from perturbed counts; NULL when withheld. Not the population rate: respondents are self-selected.';
COMMENT ON COLUMN mart_epci.assessments_share_illectronism_ci_low IS 'Lower bound of the 95 % interval of assessments_share_illectronism (Wilson, widened by the perturbation''s noise); NULL when withheld.';
COMMENT ON COLUMN mart_epci.assessments_share_illectronism_ci_high IS 'Upper bound of the 95 % interval of assessments_share_illectronism (Wilson, widened by the perturbation''s noise); NULL when withheld.';
COMMENT ON COLUMN mart_epci.assessments_suppressed IS 'True unless its observed need is published: fewer respondents than the secrecy threshold (none included), some in a withheld département, a few withheld respondents that its total would isolate beside its published communes, or withheld so that the withheld respondents of a département outside published EPCI are not isolated.';
