-- Purpose: the indicators of each current commune: what the département
-- pages draw and what analysts query below the département.
-- Grain: one row per current commune (COG 2026), keyed by code_insee.
-- Secrecy: observed-need figures come from the perturbed counts of the
-- cell-key method, and are published only for communes with at least the
-- threshold of respondents, inside a published département, and not
-- withheld by secondary suppression (int_commune__assessments_published);
-- a commune without respondents looks exactly like one with a few.
CREATE OR REPLACE TABLE mart_commune AS
WITH covered AS (
    SELECT code_departement, bool_or(covered) FILTER (WHERE kind = 'venues') AS venues
    FROM int_departement__input_coverage
    GROUP BY code_departement
), access AS (
    SELECT code_insee, km FROM int_commune__venue_distance WHERE venue_group = 'all'
), venues AS (
    SELECT code_insee, count(*) AS venues
    FROM int_venues__deduplicated
    WHERE code_insee IS NOT NULL
    GROUP BY code_insee
), deciles AS (
    SELECT * FROM (
        PIVOT (SELECT code_insee, indicator, decile FROM tmp_fragility_deciles)
        ON indicator IN ('connectivity', 'venue_distance', 'aged_65_plus', 'no_diploma', 'poverty',
                         'living_alone', 'single_parent', 'jobseekers')
        USING any_value(decile)
    )
), scores AS (
    -- deciles of the score weighted by population, like the indicators'
    SELECT s.code_insee, s.score,
           CASE WHEN s.score IS NOT NULL
                THEN CAST(least(10, 1 + floor(10 * (sum(r.population_municipale) OVER (PARTITION BY s.score IS NULL ORDER BY s.score
                                                                                       RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                                                     - sum(r.population_municipale) OVER (PARTITION BY s.score) / 2)
                                                / sum(r.population_municipale) OVER (PARTITION BY s.score IS NULL))) AS INTEGER) END AS decile
    FROM tmp_fragility_scores AS s
    JOIN ref_communes AS r USING (code_insee)
    WHERE s.weight_set = 'base'
), observed AS (
    SELECT * FROM int_commune__assessments_published
), points AS (
    -- the population-weighted mean of the 2024 centroids folded into it
    SELECT a.code_insee,
           CASE WHEN bool_and(c.population_2021 > 0)
                THEN sum(c.longitude * c.population_2021) / sum(c.population_2021)
                ELSE avg(c.longitude) END AS longitude,
           CASE WHEN bool_and(c.population_2021 > 0)
                THEN sum(c.latitude * c.population_2021) / sum(c.population_2021)
                ELSE avg(c.latitude) END AS latitude
    FROM diag_centroid_access AS a
    JOIN ref_commune_centroids AS c ON c.code_insee = a.centroid_code
    WHERE a.venue_group = 'all'
    GROUP BY a.code_insee
)
SELECT r.code_insee,
       r.nom,
       r.code_departement,
       ep.code_epci,
       p.longitude,
       p.latitude,
       r.population_municipale AS population,
       round(i.population_15_plus) AS population_15_plus,
       ag.age_source,
       i.low_diploma_source AS diploma_source,
       i.income_source,
       round(i.people_est, 1) AS illectronism_people_est,
       round(i.people_low, 1) AS illectronism_people_low,
       round(i.people_high, 1) AS illectronism_people_high,
       round(i.people_est / nullif(i.population_15_plus, 0), 4) AS illectronism_rate_est,
       round(i.people_low / nullif(i.population_15_plus, 0), 4) AS illectronism_rate_low,
       round(i.people_high / nullif(i.population_15_plus, 0), 4) AS illectronism_rate_high,
       CAST(c.premises AS BIGINT) AS premises,
       CASE WHEN c.premises > 0 THEN round(1 - c.premises_ge_30mbps / c.premises, 4) END AS share_premises_below_30mbps,
       CASE WHEN c.premises > 0 THEN round(1 - c.premises_ge_8mbps / c.premises, 4) END AS share_premises_below_8mbps,
       round(ac.km, 2) AS venue_distance_km,
       CASE WHEN cv.venues THEN coalesce(v.venues, 0) END AS venues,
       CAST(coalesce(m.posts_recruited, 0) AS BIGINT) AS mediator_posts,
       d.connectivity AS decile_connectivity,
       d.venue_distance AS decile_venue_distance,
       d.aged_65_plus AS decile_aged_65_plus,
       d.no_diploma AS decile_no_diploma,
       d.poverty AS decile_poverty,
       d.living_alone AS decile_living_alone,
       d.single_parent AS decile_single_parent,
       d.jobseekers AS decile_jobseekers,
       round(sc.score, 3) AS fragility_score,
       sc.decile AS fragility_decile,
       o.n AS assessments_respondents,
       round(perturbed_share(o.illectronisme, o.n), 4) AS assessments_share_illectronism,
       round(perturbed_low(o.illectronisme, o.n), 4) AS assessments_share_illectronism_ci_low,
       round(perturbed_high(o.illectronisme, o.n), 4) AS assessments_share_illectronism_ci_high,
       o.suppressed AS assessments_suppressed
FROM ref_communes AS r
LEFT JOIN diag_commune_illectronism AS i USING (code_insee)
LEFT JOIN covered AS cv ON cv.code_departement = r.code_departement
LEFT JOIN int_commune__age_structure AS ag USING (code_insee)
LEFT JOIN int_coverage__latest AS c USING (code_insee)
LEFT JOIN access AS ac USING (code_insee)
LEFT JOIN venues AS v USING (code_insee)
LEFT JOIN int_commune__mediators AS m USING (code_insee)
LEFT JOIN deciles AS d USING (code_insee)
LEFT JOIN scores AS sc USING (code_insee)
LEFT JOIN observed AS o USING (code_insee)
LEFT JOIN points AS p USING (code_insee)
LEFT JOIN ref_commune_epci AS ep USING (code_insee)
ORDER BY r.code_insee;

COMMENT ON TABLE mart_commune IS 'One row per current commune (COG 2026): estimated people in illectronism, connectivity, distance to the nearest venue, fragility deciles and score, and observed need where secrecy allows.';
COMMENT ON COLUMN mart_commune.code_insee IS 'INSEE code of the commune (COG 2026); Paris, Lyon and Marseille as whole cities.';
COMMENT ON COLUMN mart_commune.nom IS 'Name of the commune (COG 2026).';
COMMENT ON COLUMN mart_commune.code_departement IS 'INSEE code of its département.';
COMMENT ON COLUMN mart_commune.code_epci IS 'SIREN of its EPCI (intercommunality, 2026); NULL for the four island communes in none.';
COMMENT ON COLUMN mart_commune.longitude IS 'Longitude (WGS84) of the commune''s point: the mean of the 2024 commune centroids folded into it, weighted by their census 2021 population; NULL when it has no centroid.';
COMMENT ON COLUMN mart_commune.latitude IS 'Latitude (WGS84) of the commune''s point (see longitude).';
COMMENT ON COLUMN mart_commune.population IS 'Population municipale (INSEE, COG 2026).';
COMMENT ON COLUMN mart_commune.population_15_plus IS 'People aged 15 or more, estimated from the commune''s age structure (see age_source).';
COMMENT ON COLUMN mart_commune.age_source IS 'Where the age structure comes from: commune = its own data; departement or france = an input was missing and the mean of the département (or France) was used; mayotte = Mayotte''s census structure.';
COMMENT ON COLUMN mart_commune.diploma_source IS 'Where the commune''s share of people with at most a CAP or BEP comes from, for the model: commune, or when missing departement, region, outre_mer_ou_metropole; mayotte = Mayotte''s census figure.';
COMMENT ON COLUMN mart_commune.income_source IS 'Where the commune''s share of low-income tax households comes from, for the model: commune, or when withheld departement, region, outre_mer_ou_metropole.';
COMMENT ON COLUMN mart_commune.illectronism_people_est IS 'Estimated people aged 15+ in illectronism, central estimate of the small-area model (age, diploma, standard of living, living alone, overseas, région; every published Insee margin reproduced: mart_illectronism_margins). A model estimate, not a count: it says what a commune of this make-up would have, not what sets it apart from communes alike.';
COMMENT ON COLUMN mart_commune.illectronism_people_low IS 'Low end of the 90 % band of illectronism_people_est (5th percentile of the model''s draws, with its département''s residual spread).';
COMMENT ON COLUMN mart_commune.illectronism_people_high IS 'High end of the 90 % band of illectronism_people_est (95th percentile).';
COMMENT ON COLUMN mart_commune.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';
COMMENT ON COLUMN mart_commune.illectronism_rate_low IS 'illectronism_people_low / population_15_plus (0–1).';
COMMENT ON COLUMN mart_commune.illectronism_rate_high IS 'illectronism_people_high / population_15_plus (0–1).';
COMMENT ON COLUMN mart_commune.premises IS 'Housing units and business premises counted by ARCEP in the latest coverage period; NULL without coverage data.';
COMMENT ON COLUMN mart_commune.share_premises_below_30mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 30 Mbit/s.';
COMMENT ON COLUMN mart_commune.share_premises_below_8mbps IS 'Share (0–1) of premises not eligible to a fixed connection of at least 8 Mbit/s.';
COMMENT ON COLUMN mart_commune.venue_distance_km IS 'Great-circle distance (km) from the commune''s centroid(s), weighted by their census 2021 population, to the nearest digital mediation venue loaded; NULL when no venue of the département was loaded (the listings loaded do not cover it).';
COMMENT ON COLUMN mart_commune.venues IS 'Digital mediation venues located in the commune; NULL when no listing loaded covers its département.';
COMMENT ON COLUMN mart_commune.mediator_posts IS 'Conseiller numérique posts recruited in host structures of the commune.';
COMMENT ON COLUMN mart_commune.decile_connectivity IS 'National decile (1–10, 10 = most fragile) on the share of premises below 30 Mbit/s; deciles are weighted by population (each holds a tenth of the people of the communes with a value).';
COMMENT ON COLUMN mart_commune.decile_venue_distance IS 'National decile (1–10) on the distance to the nearest France Services site (the one network listed everywhere).';
COMMENT ON COLUMN mart_commune.decile_aged_65_plus IS 'National decile (1–10) on the share of people aged 65+.';
COMMENT ON COLUMN mart_commune.decile_no_diploma IS 'National decile (1–10) on the share of people aged 15+ out of school with at most a CAP or BEP.';
COMMENT ON COLUMN mart_commune.decile_poverty IS 'National decile (1–10) on the share of low-income tax households (reference income up to 12 000 €); where withheld, the département''s mean (int_reference__fragility_coverage).';
COMMENT ON COLUMN mart_commune.decile_living_alone IS 'National decile (1–10) on the share of people living alone.';
COMMENT ON COLUMN mart_commune.decile_single_parent IS 'National decile (1–10) on the share of single-parent families.';
COMMENT ON COLUMN mart_commune.decile_jobseekers IS 'National decile (1–10) on the share of job seekers; NULL everywhere when the indicator covers too few communes to enter the index (int_reference__fragility_coverage).';
COMMENT ON COLUMN mart_commune.fragility_score IS 'Fragility score (1–10): the weighted mean of the commune''s deciles (weights from mart_build_parameters); NULL when its indicators carry less than half of the weight.';
COMMENT ON COLUMN mart_commune.fragility_decile IS 'National decile (1–10) of fragility_score among communes, weighted by population.';
COMMENT ON COLUMN mart_commune.assessments_respondents IS 'Distinct self-assessment respondents living in the commune, perturbed by the cell-key method; NULL when withheld for statistical secrecy or when there is none: the two are not told apart (assessments_suppressed). Respondents are self-selected.';
COMMENT ON COLUMN mart_commune.assessments_share_illectronism IS 'Share (0–1) of respondents in illectronism, from perturbed counts; NULL when withheld. Not the population rate: respondents are self-selected.';
COMMENT ON COLUMN mart_commune.assessments_share_illectronism_ci_low IS 'Lower bound of the 95 % interval of assessments_share_illectronism (Wilson, widened by the perturbation''s noise); NULL when withheld.';
COMMENT ON COLUMN mart_commune.assessments_share_illectronism_ci_high IS 'Upper bound of the 95 % interval of assessments_share_illectronism (Wilson, widened by the perturbation''s noise); NULL when withheld.';
COMMENT ON COLUMN mart_commune.assessments_suppressed IS 'True unless the commune''s observed need is published: fewer respondents than the secrecy threshold (none included), a withheld département, or withheld so that another commune''s cannot be recomputed from the département''s total.';
