-- Purpose: the small-area model of illectronism (diagnostics package): the
-- published figures it is run with, and what it computes, rewritten on every
-- run between the intermediate layer and the marts.

-- Grain: one row per published margin (diagnostics/data/marges_illectronisme.csv,
-- or the configuration's illectronism_margins file), stored before the views.
CREATE TABLE IF NOT EXISTS ref_illectronism_margins (
    id         VARCHAR PRIMARY KEY,
    year       INTEGER NOT NULL,   -- survey year
    field      VARCHAR NOT NULL,   -- france_hors_mayotte, metropole, dom_hors_mayotte, region:<code>, departement:<code>
    dimension  VARCHAR NOT NULL,   -- ensemble, age, diplome, revenu, menage, categorie_commune, or a dimension not modelled
    level      VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,   -- in French, as the source words it
    rate       DOUBLE NOT NULL,    -- published share in illectronism, 0–1
    tolerance  DOUBLE NOT NULL,    -- how far the model may be from it, 0–1 (half the rounding unit)
    std_err    DOUBLE NOT NULL,    -- sampling standard error, 0–1
    use        VARCHAR NOT NULL,   -- calage, calage_2021, structure_2019, benchmark, controle, controle_2019, controle_minimum, validation, reference, non_modelise
    reference  VARCHAR,            -- the margin a relative one is compared with
    source     VARCHAR NOT NULL,
    url        VARCHAR NOT NULL,
    status     VARCHAR NOT NULL    -- how the figure was checked
);

-- Grain: one row per row of the national structure file
-- (diagnostics/data/structure_nationale.csv): population by age, diploma by
-- age, living alone by age, Mayotte's own figures, with their sources.
CREATE TABLE IF NOT EXISTS ref_national_structure (
    tableau  VARCHAR NOT NULL,
    age      VARCHAR NOT NULL,
    modalite VARCHAR NOT NULL,
    valeur   DOUBLE NOT NULL,
    source   VARCHAR NOT NULL,
    url      VARCHAR NOT NULL,
    note     VARCHAR NOT NULL
);

-- Grain: one row per published local estimate (diagnostics/data/
-- estimations_locales_publiees.csv): figures the model is compared with,
-- never fitted to (mart_illectronism_local).
CREATE TABLE IF NOT EXISTS ref_illectronism_local_estimates (
    level     VARCHAR NOT NULL,   -- epci
    code      VARCHAR NOT NULL,   -- SIREN of the EPCI
    label     VARCHAR NOT NULL,
    region    VARCHAR NOT NULL,   -- the région it covers (an EPCI astride two is compared on this one's communes)
    year      INTEGER NOT NULL,
    rate      DOUBLE NOT NULL,    -- published share, 0–1
    people    DOUBLE NOT NULL,    -- published people in illectronism
    reference VARCHAR NOT NULL,   -- the margin whose group sets the scale (2019-metropole)
    source    VARCHAR NOT NULL,
    url       VARCHAR NOT NULL,
    PRIMARY KEY (level, code)
);

-- Grain: one row per current commune: the model's estimate and its inputs.
CREATE TABLE IF NOT EXISTS diag_commune_illectronism (
    code_insee             VARCHAR NOT NULL,
    code_departement       VARCHAR NOT NULL,
    population_15_plus     DOUBLE NOT NULL,
    people_est             DOUBLE NOT NULL,  -- central fit
    people_low             DOUBLE NOT NULL,  -- 5th percentile of the draws
    people_high            DOUBLE NOT NULL,  -- 95th percentile of the draws
    people_structure_2019  DOUBLE NOT NULL,  -- the 2019 age-structure variant
    low_diploma_share      DOUBLE NOT NULL,  -- share of people 15+ out of school with at most a CAP/BEP, as raked
    low_diploma_source     VARCHAR NOT NULL, -- commune, departement, region, outre_mer_ou_metropole, mayotte, france (no socio data at all)
    modest_share           DOUBLE NOT NULL,  -- share in the 40 % most modest (national quintiles)
    income_source          VARCHAR NOT NULL,
    alone_share            DOUBLE NOT NULL,  -- share of people 15+ living alone
    alone_source           VARCHAR NOT NULL
);

-- Grain: one row per territory above the commune (level france, outre_mer,
-- region, departement, epci; code '' for the first two, the SIREN for an
-- EPCI, whose band sums the draws of all its communes, across départements).
CREATE TABLE IF NOT EXISTS diag_illectronism_bands (
    level                  VARCHAR NOT NULL,
    code                   VARCHAR NOT NULL,
    population_15_plus     DOUBLE NOT NULL,
    people_est             DOUBLE NOT NULL,
    people_low             DOUBLE NOT NULL,
    people_high            DOUBLE NOT NULL,
    people_structure_2019  DOUBLE NOT NULL
);

-- Grain: one row per département, category of commune (AAV2020: see
-- diagnostics.CommuneCategories) present in it, and cell of the model (age
-- group × diploma × standard of living × household): people aged 15+ and
-- the rate of the central fit.
CREATE TABLE IF NOT EXISTS diag_illectronism_cells (
    code_departement VARCHAR NOT NULL,
    category         VARCHAR NOT NULL,  -- hors_attraction, petit_pole, grande_aire, autre
    age_group        VARCHAR NOT NULL,
    diploma          VARCHAR NOT NULL,
    income           VARCHAR NOT NULL,
    household        VARCHAR NOT NULL,
    people           DOUBLE NOT NULL,
    rate             DOUBLE NOT NULL
);

-- Grain: one row per margin of ref_illectronism_margins: its modelled value.
CREATE TABLE IF NOT EXISTS diag_illectronism_margins (
    id                  VARCHAR NOT NULL,
    constraint_central  BOOLEAN NOT NULL,  -- reproduced by construction by the central fit
    modelled_central    DOUBLE,            -- NULL when not modelled
    modelled_2019       DOUBLE,            -- under the 2019 age-structure variant
    predicted_without   DOUBLE,            -- a benchmark: the central fit's value with it left out
    within_tolerance    BOOLEAN NOT NULL
);

-- Grain: one row per fit and effect (one effect per margin reproduced).
CREATE TABLE IF NOT EXISTS diag_illectronism_effects (
    variant   VARCHAR NOT NULL,  -- central or structure_2019
    margin_id VARCHAR NOT NULL,
    effect    DOUBLE NOT NULL    -- on the logit scale
);

-- Grain: one row per published adjusted odds ratio (the national structure
-- file, tableau rapport_ajuste): the central fit's, and the association of
-- diploma and income in the seed that brings the model closest to them.
CREATE TABLE IF NOT EXISTS diag_illectronism_ratios (
    dimension    VARCHAR NOT NULL,  -- diplome or revenu
    numerator    VARCHAR NOT NULL,
    denominator  VARCHAR NOT NULL,
    published    DOUBLE NOT NULL,
    modelled     DOUBLE NOT NULL,
    association  DOUBLE NOT NULL    -- log odds ratio per step of diploma and of standard of living in the seed
);

-- Grain: one row per level (region, departement): the spread of published
-- local figures around the model (root mean square of model ÷ published − 1),
-- carried into the band as a random relative error of that level.
CREATE TABLE IF NOT EXISTS diag_illectronism_residuals (
    level    VARCHAR NOT NULL,
    spread   DOUBLE NOT NULL,
    figures  INTEGER NOT NULL   -- published figures it rests on
);

-- Grain: one row, the fit the diag_* tables above hold: the digest of its
-- program and inputs (diagnostics.modelDigest) and the summary it logged
-- (Go's gob encoding of diagnostics.ModelSummary).
-- Written in the transaction that writes those tables; a run whose digest
-- matches keeps them instead of fitting again.
CREATE TABLE IF NOT EXISTS diag_illectronism_fit (
    input_digest VARCHAR NOT NULL,
    summary      BLOB NOT NULL
);
