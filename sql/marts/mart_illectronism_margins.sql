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
