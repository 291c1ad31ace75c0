-- Purpose: every published illectronism rate the model was run with, and what
-- the model makes of it: the proof that the estimate reproduces Insee's
-- margins, and its validation against figures it did not use.
-- Grain: one row per published figure (ref_illectronism_margins), keyed by id.
CREATE OR REPLACE TABLE mart_illectronism_margins AS
SELECT r.id, r.year, r.field, r.dimension, r.level, r.label,
       round(r.rate, 4) AS published_rate,
       round(r.tolerance, 4) AS tolerance,
       round(r.std_err, 4) AS std_err,
       r.use, r.reference,
       m.constraint_central,
       round(m.modelled_central, 4) AS modelled_rate,
       round(m.modelled_2019, 4) AS modelled_rate_structure_2019,
       round(m.predicted_without, 4) AS predicted_without,
       round(m.predicted_without - r.rate, 4) AS error_without,
       CASE WHEN r.use = 'validation' THEN round(m.modelled_central - r.rate, 4) END AS error_validation,
       m.within_tolerance,
       r.source, r.url, r.status
FROM ref_illectronism_margins AS r
JOIN diag_illectronism_margins AS m USING (id)
ORDER BY r.year DESC, r.use, r.field, r.dimension, r.level;

COMMENT ON TABLE mart_illectronism_margins IS 'Every published illectronism rate (Insee) the small-area model was run with: its source, what the model does with it (use), and the rate the model gives for the same group.';
COMMENT ON COLUMN mart_illectronism_margins.id IS 'Identifier of the figure in the margins file (diagnostics/data/marges_illectronisme.csv or the configured file).';
COMMENT ON COLUMN mart_illectronism_margins.year IS 'Survey year: 2021 (internet use in the last 3 months, TIC 2021) or 2019 (use in the year, TIC 2019).';
COMMENT ON COLUMN mart_illectronism_margins.field IS 'Territory: france_hors_mayotte, metropole, dom_hors_mayotte, region:<code> or departement:<code>.';
COMMENT ON COLUMN mart_illectronism_margins.dimension IS 'The group within the territory: ensemble, age, diplome, revenu, menage; other dimensions are not modelled.';
COMMENT ON COLUMN mart_illectronism_margins.level IS 'The level of the dimension, e.g. 75+ or aucun_cep.';
COMMENT ON COLUMN mart_illectronism_margins.label IS 'The group as the source words it (French).';
COMMENT ON COLUMN mart_illectronism_margins.published_rate IS 'Published share in illectronism (0–1).';
COMMENT ON COLUMN mart_illectronism_margins.tolerance IS 'How far the model may be from the published rate (0–1): half the rounding unit of the figure.';
COMMENT ON COLUMN mart_illectronism_margins.std_err IS 'Sampling standard error assumed for the figure (0–1): drawn in the uncertainty band.';
COMMENT ON COLUMN mart_illectronism_margins.use IS 'calage: reproduced by every fit; calage_2021: by the central fit (the 2019 variant uses the 2019 age gradient instead); structure_2019: the 2019 variant''s age gradient; benchmark: a published regional rate, reproduced relative to its reference; controle, controle_2019, controle_minimum: checks, not constraints; validation: a published local figure never used, to measure the model''s error; reference: the base of relative figures; non_modelise: no local data describes the group.';
COMMENT ON COLUMN mart_illectronism_margins.reference IS 'For a relative figure, the id of the figure it is compared with (the 2019 national rate): the model reproduces the ratio.';
COMMENT ON COLUMN mart_illectronism_margins.constraint_central IS 'True when the central fit reproduces the figure by construction.';
COMMENT ON COLUMN mart_illectronism_margins.modelled_rate IS 'The central fit''s rate for the group (relative figures: the group''s rate ÷ the reference group''s × the reference''s published rate); NULL when not modelled.';
COMMENT ON COLUMN mart_illectronism_margins.modelled_rate_structure_2019 IS 'The same under the 2019 age-gradient variant.';
COMMENT ON COLUMN mart_illectronism_margins.predicted_without IS 'For a regional benchmark: the central fit''s rate for the région when its own published rate is left out (leave one région out): the model''s prediction error is error_without.';
COMMENT ON COLUMN mart_illectronism_margins.error_without IS 'predicted_without − published_rate.';
COMMENT ON COLUMN mart_illectronism_margins.error_validation IS 'For a validation figure: modelled_rate − published_rate.';
COMMENT ON COLUMN mart_illectronism_margins.within_tolerance IS 'True when the modelled rate lies within the tolerance of the published one (for a check at least: not below it); always true for figures not modelled or used as a base; validation figures report their error and may be false.';
COMMENT ON COLUMN mart_illectronism_margins.source IS 'Publication the figure comes from.';
COMMENT ON COLUMN mart_illectronism_margins.url IS 'Where it was read.';
COMMENT ON COLUMN mart_illectronism_margins.status IS 'How the figure was checked (read on insee.fr, or relayed by the press, with how many concordant sources).';

-- Purpose: the model's estimate for France and the territories above the
-- département, with its band (the départements and communes are in their
-- own marts).
-- Grain: one row per territory: level france (outside Mayotte, the survey's
-- field), outre_mer (the five overseas départements), region.
CREATE OR REPLACE TABLE mart_illectronism_territories AS
SELECT b.level, b.code,
       coalesce(r.nom_region, CASE b.level WHEN 'france' THEN 'France hors Mayotte' WHEN 'outre_mer' THEN 'Départements d''outre-mer' END) AS nom,
       round(b.population_15_plus) AS population_15_plus,
       round(b.people_est) AS illectronism_people_est,
       round(b.people_low) AS illectronism_people_low,
       round(b.people_high) AS illectronism_people_high,
       round(b.people_est / b.population_15_plus, 4) AS illectronism_rate_est,
       round(b.people_low / b.population_15_plus, 4) AS illectronism_rate_low,
       round(b.people_high / b.population_15_plus, 4) AS illectronism_rate_high,
       round(b.people_structure_2019 / b.population_15_plus, 4) AS illectronism_rate_structure_2019
FROM diag_illectronism_bands AS b
LEFT JOIN (SELECT DISTINCT code_region, nom_region FROM ref_departements) AS r
       ON b.level = 'region' AND r.code_region = b.code
WHERE b.level IN ('france', 'outre_mer', 'region')
ORDER BY b.level, b.code;

COMMENT ON TABLE mart_illectronism_territories IS 'The small-area model''s estimate of people aged 15+ in illectronism for France outside Mayotte, the overseas départements together and each région, with its 90 % band.';
COMMENT ON COLUMN mart_illectronism_territories.level IS 'france (outside Mayotte), outre_mer (971–976) or region.';
COMMENT ON COLUMN mart_illectronism_territories.code IS 'INSEE code of the région; empty for france and outre_mer.';
COMMENT ON COLUMN mart_illectronism_territories.nom IS 'Name of the territory.';
COMMENT ON COLUMN mart_illectronism_territories.population_15_plus IS 'People aged 15 or more, estimated.';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_est IS 'Estimated people aged 15+ in illectronism (central).';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_low IS 'Low end of the 90 % band (a band does not add up: a territory''s is computed on its own draws).';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_high IS 'High end of the 90 % band.';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_low IS 'illectronism_people_low / population_15_plus (0–1).';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_high IS 'illectronism_people_high / population_15_plus (0–1).';
COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_structure_2019 IS 'The rate under the 2019 age-gradient variant.';

-- Purpose: which input covers which département (int_departement__input_coverage):
-- where a figure is NULL ("—") because no input describes the territory.
-- Grain: one row per (kind, code_departement).
CREATE OR REPLACE TABLE mart_input_coverage AS
SELECT kind, code_departement, covered, files, communes_described, population_share_described
FROM int_departement__input_coverage
ORDER BY kind, code_departement;

COMMENT ON TABLE mart_input_coverage IS 'Which loaded input covers which département: figures resting on an input are NULL where it does not.';
COMMENT ON COLUMN mart_input_coverage.kind IS 'coverage (ARCEP), socio, venues (any listing), france_services (France Services sites), mediators (conseiller numérique export, national).';
COMMENT ON COLUMN mart_input_coverage.code_departement IS 'INSEE code of the département.';
COMMENT ON COLUMN mart_input_coverage.covered IS 'True when a loaded file covers the département: a per-commune file with at least one of its communes, a listing with at least one venue in it, the national export of conseiller numérique posts everywhere.';
COMMENT ON COLUMN mart_input_coverage.files IS 'The loaded files that cover it (names, in loading order).';
COMMENT ON COLUMN mart_input_coverage.communes_described IS 'Per-commune files: communes of the département the latest data describe.';
COMMENT ON COLUMN mart_input_coverage.population_share_described IS 'Per-commune files: share (0–1) of the département''s 2026 population living in those communes.';

-- Purpose: the published odds ratios at equal other characteristics and the
-- model's: what the association of diploma and income in the model's
-- national joint distribution was set to come close to.
-- Grain: one row per published ratio.
CREATE OR REPLACE TABLE mart_illectronism_ratios AS
SELECT dimension, numerator, denominator,
       round(published, 2) AS published_ratio,
       round(modelled, 2) AS modelled_ratio
FROM diag_illectronism_ratios
ORDER BY dimension;

COMMENT ON TABLE mart_illectronism_ratios IS 'Published odds ratios of illectronism between two levels of a factor at equal other characteristics (Insee), and the small-area model''s.';
COMMENT ON COLUMN mart_illectronism_ratios.dimension IS 'diplome or revenu.';
COMMENT ON COLUMN mart_illectronism_ratios.numerator IS 'The level whose risk is compared (aucun_cep, q1_q2).';
COMMENT ON COLUMN mart_illectronism_ratios.denominator IS 'The level it is compared with (bac3_plus, q5).';
COMMENT ON COLUMN mart_illectronism_ratios.published_ratio IS 'Published ratio (see ref_national_structure, tableau rapport_ajuste, for its source).';
COMMENT ON COLUMN mart_illectronism_ratios.modelled_ratio IS 'The central fit''s odds ratio between the two levels, the same whatever the other factors.';

-- Purpose: the indicators of the fragility index, their configured weight,
-- their coverage of the communes and whether they enter the index
-- (int_reference__fragility_coverage).
-- Grain: one row per indicator.
CREATE OR REPLACE TABLE mart_fragility_indicators AS
WITH w AS (
    SELECT unnest(map_keys(getvariable('fragility_weights'))) AS indicator,
           CAST(unnest(map_values(getvariable('fragility_weights'))) AS DOUBLE) AS weight
)
SELECT c.indicator, w.weight, round(c.commune_coverage, 4) AS commune_coverage,
       round(c.filled_coverage, 4) AS filled_coverage, c.kept
FROM tmp_fragility_coverage AS c
LEFT JOIN w USING (indicator)
ORDER BY c.indicator;

COMMENT ON TABLE mart_fragility_indicators IS 'The indicators of the fragility index: configured weight, coverage of the communes, and whether each enters the index.';
COMMENT ON COLUMN mart_fragility_indicators.indicator IS 'connectivity, venue_distance, aged_65_plus, no_diploma, poverty, living_alone, single_parent or jobseekers.';
COMMENT ON COLUMN mart_fragility_indicators.weight IS 'Weight in the configuration (counted only when kept).';
COMMENT ON COLUMN mart_fragility_indicators.commune_coverage IS 'Share (0–1) of the communes with their own value.';
COMMENT ON COLUMN mart_fragility_indicators.filled_coverage IS 'Share (0–1) of the communes with a value once those without it took their département''s mean (only for an indicator with less than 90 % of communes of its own, and only where the communes with a value hold half the département''s population).';
COMMENT ON COLUMN mart_fragility_indicators.kept IS 'True when filled_coverage reaches 90 %: the indicator enters the index; otherwise it is left out and its weight counts for nothing.';

-- Purpose: the model against Insee's published local estimates, which it
-- never sees (ref_illectronism_local_estimates: the intercommunal estimates
-- of Hauts-de-France, 2019). The model's rate of the territory (its
-- communes in ref_commune_epci, 2026 perimeters, within the région the
-- estimate covers) is read on the published
-- figures' scale as a regional benchmark is: the territory's rate ÷ the
-- model's rate of the reference group × the reference's published rate.
-- Exact sums (staging macros), so that the same model gives the same
-- figures.
-- Grain: one row per published local estimate.
CREATE OR REPLACE TABLE mart_illectronism_local AS
WITH territories AS (
    SELECT 'epci' AS level, e.code_epci AS code, c.code_region, count(*) AS communes,
           exact_sum(i.population_15_plus) AS population_15_plus,
           exact_sum(i.people_est) AS people
    FROM ref_commune_epci AS e
    JOIN ref_communes AS c USING (code_insee)
    JOIN diag_commune_illectronism AS i USING (code_insee)
    WHERE e.code_epci IS NOT NULL
    GROUP BY e.code_epci, c.code_region
), scaled AS (
    SELECT l.*, t.communes, t.population_15_plus AS model_population_15_plus,
           t.people / t.population_15_plus / m.modelled_central * r.rate AS modelled
    FROM ref_illectronism_local_estimates AS l
    LEFT JOIN territories AS t ON t.level = l.level AND t.code = l.code AND t.code_region = l.region
    JOIN ref_illectronism_margins AS r ON r.id = l.reference
    JOIN diag_illectronism_margins AS m ON m.id = l.reference
)
SELECT level, code, label, region, year,
       round(rate, 4) AS published_rate,
       round(modelled, 4) AS modelled_rate,
       round(modelled - rate, 4) AS error,
       round(people / rate) AS published_population_15_plus,
       round(model_population_15_plus) AS population_15_plus,
       communes, reference, source, url
FROM scaled
ORDER BY level, code;

COMMENT ON TABLE mart_illectronism_local IS 'The small-area model against published local estimates it never sees (Insee''s intercommunal estimates of Hauts-de-France, 2019): how well it reproduces the spread between neighbouring territories.';
COMMENT ON COLUMN mart_illectronism_local.level IS 'epci: an intercommunality (EPCI à fiscalité propre).';
COMMENT ON COLUMN mart_illectronism_local.code IS 'SIREN of the EPCI, as published.';
COMMENT ON COLUMN mart_illectronism_local.label IS 'Name of the territory, as published.';
COMMENT ON COLUMN mart_illectronism_local.region IS 'INSEE code of the région the estimate covers: an EPCI astride two régions is compared on its communes of this one.';
COMMENT ON COLUMN mart_illectronism_local.year IS 'Year of the published estimate (2019: internet use in the year).';
COMMENT ON COLUMN mart_illectronism_local.published_rate IS 'Published share of people aged 15+ in illectronism (0–1).';
COMMENT ON COLUMN mart_illectronism_local.modelled_rate IS 'The model''s share for the territory''s communes (2026 perimeter), on the published scale: ÷ the model''s rate of the reference group × its published rate (see reference); NULL when the code no longer exists in 2026.';
COMMENT ON COLUMN mart_illectronism_local.error IS 'modelled_rate − published_rate.';
COMMENT ON COLUMN mart_illectronism_local.published_population_15_plus IS 'People aged 15+ implied by the published figures (people ÷ rate): compare with population_15_plus to see a change of perimeter.';
COMMENT ON COLUMN mart_illectronism_local.population_15_plus IS 'People aged 15+ of the territory''s communes in the model (2026 perimeter).';
COMMENT ON COLUMN mart_illectronism_local.communes IS 'Communes of the territory in 2026, within the région.';
COMMENT ON COLUMN mart_illectronism_local.reference IS 'The published margin whose group sets the scale (2019-metropole: France métropolitaine, 2019).';
COMMENT ON COLUMN mart_illectronism_local.source IS 'Publication of the estimate.';
COMMENT ON COLUMN mart_illectronism_local.url IS 'Where it was published.';
