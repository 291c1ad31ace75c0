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
