-- Purpose: embedded reference data (geo/data), reloaded at the start of every run.
-- Grain: one row per territory or per COG record, as named by each table.
CREATE TABLE IF NOT EXISTS ref_departements (
    code_departement VARCHAR PRIMARY KEY,
    nom              VARCHAR NOT NULL,
    code_region      VARCHAR NOT NULL,
    nom_region       VARCHAR NOT NULL,
    chef_lieu        VARCHAR NOT NULL,
    nb_communes      INTEGER NOT NULL,
    population       BIGINT NOT NULL      -- population municipale, COG 2026
);

CREATE TABLE IF NOT EXISTS ref_communes (
    code_insee            VARCHAR PRIMARY KEY,
    nom                   VARCHAR NOT NULL,
    code_departement      VARCHAR NOT NULL,
    code_region           VARCHAR NOT NULL,
    population_municipale BIGINT NOT NULL,
    population_totale     BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ref_commune_centroids (
    code_insee            VARCHAR PRIMARY KEY,
    type                  VARCHAR NOT NULL,  -- COM or ARM (municipal arrondissement)
    longitude             DOUBLE NOT NULL,   -- WGS84 degrees
    latitude              DOUBLE NOT NULL,
    superficie_km2        DOUBLE,
    population_2021       BIGINT,
    population_15_64_2021 BIGINT
);

-- Insee's zonage en aires d'attraction des villes 2020 (geo/data/SOURCES.md).
CREATE TABLE IF NOT EXISTS ref_commune_aav (
    code_insee  VARCHAR PRIMARY KEY,
    cateaav2020 INTEGER NOT NULL,  -- 11 commune-centre, 12 other commune of the main pôle, 13 secondary pôle, 20 couronne, 30 outside the attraction of cities
    taav2017    INTEGER NOT NULL   -- size of the area: 0 none, 1 < 50 000, 2 50–200 000, 3 200–700 000, 4 ≥ 700 000, 5 Paris
);

-- The EPCI à fiscalité propre of each commune on 1 January 2026 (DGCL, via
-- @etalab/decoupage-administratif; geo/data/SOURCES.md).
CREATE TABLE IF NOT EXISTS ref_commune_epci (
    code_insee VARCHAR PRIMARY KEY,
    code_epci  VARCHAR             -- SIREN; NULL for the four island communes in no EPCI
);

-- The EPCI à fiscalité propre themselves on 1 January 2026 (DGCL, via
-- @etalab/decoupage-administratif; geo/data/SOURCES.md).
CREATE TABLE IF NOT EXISTS ref_epci (
    code_epci  VARCHAR PRIMARY KEY, -- SIREN
    nom        VARCHAR NOT NULL,    -- as the DGCL writes it: 'CC du Pays de Lunel'
    type       VARCHAR NOT NULL,    -- CC, CA, CU, METRO, MET69 (Métropole de Lyon)
    population_municipale BIGINT NOT NULL -- DGCL's municipal population of its communes
);

CREATE TABLE IF NOT EXISTS ref_cog_communes (
    typecom          VARCHAR NOT NULL,       -- COM, COMD (commune déléguée), COMA (associée), ARM
    code_insee       VARCHAR NOT NULL,
    code_departement VARCHAR NOT NULL,
    code_region      VARCHAR,
    nom              VARCHAR NOT NULL,
    comparent        VARCHAR                 -- parent commune for COMD, COMA, ARM
);

CREATE TABLE IF NOT EXISTS ref_cog_mouvements (
    mod          INTEGER NOT NULL,
    date_effet   DATE NOT NULL,
    typecom_av   VARCHAR NOT NULL,
    code_av      VARCHAR NOT NULL,
    nom_av       VARCHAR NOT NULL,
    typecom_ap   VARCHAR NOT NULL,
    code_ap      VARCHAR NOT NULL,
    nom_ap       VARCHAR NOT NULL
);


-- The fingerprint (geo.Fingerprint) of the reference data the ref_* tables
-- hold, so that a run rewrites them only when the binary ships new data.
CREATE TABLE IF NOT EXISTS ref_version (fingerprint VARCHAR NOT NULL);
