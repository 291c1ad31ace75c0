-- Purpose: raw input rows, append-only, one table per input kind. Each row keeps
-- the file it came from and its line, plus the territory codes resolved at ingest
-- (COG 2026 commune, département). Staging views pick and clean from here.
-- Grain: one row per accepted input row.
-- Small closed vocabularies are ENUMs: they read and compare as text, and are
-- stored as one byte, which makes loading millions of assessments several
-- times cheaper than VARCHAR (measured in issue 3's note).
CREATE TYPE IF NOT EXISTS enum_age_band AS ENUM ('15-29', '30-44', '45-59', '60-74', '75+');
CREATE TYPE IF NOT EXISTS enum_skills_class AS ENUM ('illectronisme', 'capacites_faibles', 'autonome');
CREATE TYPE IF NOT EXISTS enum_code_departement AS ENUM (
    '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15',
    '16', '17', '18', '19', '21', '22', '23', '24', '25', '26', '27', '28', '29', '2A', '2B',
    '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44',
    '45', '46', '47', '48', '49', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59',
    '60', '61', '62', '63', '64', '65', '66', '67', '68', '69', '70', '71', '72', '73', '74',
    '75', '76', '77', '78', '79', '80', '81', '82', '83', '84', '85', '86', '87', '88', '89',
    '90', '91', '92', '93', '94', '95', '971', '972', '973', '974', '976');

-- The mapping (source) of each row is in ingest_files.source: one per file.
CREATE TABLE IF NOT EXISTS raw_assessments (
    file_id                BIGINT NOT NULL,
    line                   BIGINT NOT NULL,
    respondent_key         BIGINT NOT NULL,    -- pseudonym: first 64 bits of HMAC-SHA256(key, respondent id)
    assessed_at            TIMESTAMP NOT NULL, -- wall-clock time as exported (midnight when only a date)
    code_insee_input       VARCHAR,            -- commune or postal code as written, when it differs from code_insee (old code, arrondissement, postal code); NULL when the same
    code_insee             VARCHAR,            -- current COG 2026 commune; NULL when a postal code serves several
    code_departement       enum_code_departement NOT NULL,
    age_band               enum_age_band NOT NULL,
    internet_last_3_months BOOLEAN NOT NULL,
    level_information      TINYINT NOT NULL,   -- 0 none, 1 basic, 2 above basic
    level_communication    TINYINT NOT NULL,
    level_content_creation TINYINT NOT NULL,
    level_safety           TINYINT NOT NULL,
    level_problem_solving  TINYINT NOT NULL,
    areas_basic            TINYINT NOT NULL,   -- areas at basic level or above (0–5)
    skills_class           enum_skills_class NOT NULL
);

CREATE TABLE IF NOT EXISTS raw_coverage (
    file_id          BIGINT NOT NULL,
    line             BIGINT NOT NULL,
    format           VARCHAR NOT NULL,   -- arcep_beta_exclusive | arcep_cumulative
    code_insee_input VARCHAR NOT NULL,
    code_insee       VARCHAR NOT NULL,
    code_departement VARCHAR NOT NULL,
    period           DATE NOT NULL,
    premises         BIGINT NOT NULL,    -- nbr: housing units and business premises
    inel_hd          BIGINT NOT NULL,
    elig_hd05        BIGINT NOT NULL,
    elig_hd3         BIGINT NOT NULL,
    elig_hd8         BIGINT NOT NULL,    -- elig_bhd8 in cumulative files
    elig_thd30       BIGINT NOT NULL,
    elig_thd100      BIGINT NOT NULL,
    elig_thd1g       BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS raw_venues (
    file_id                         BIGINT NOT NULL,
    line                            BIGINT NOT NULL,
    id                              VARCHAR NOT NULL,
    nom                             VARCHAR NOT NULL,
    commune                         VARCHAR,
    code_postal                     VARCHAR,
    code_insee_input                VARCHAR,
    adresse                         VARCHAR,
    longitude                       DOUBLE NOT NULL,   -- WGS84
    latitude                        DOUBLE NOT NULL,
    source                          VARCHAR,
    date_maj                        VARCHAR,
    services                        VARCHAR,           -- '|'-separated, as in the schema
    dispositif_programmes_nationaux VARCHAR,           -- '|'-separated
    code_departement                VARCHAR NOT NULL,  -- see placement
    code_insee                      VARCHAR,           -- current commune, see commune_from; NULL when unknown
    placement                       VARCHAR NOT NULL,  -- geometry | geometry_swapped | declared_code
    commune_from                    VARCHAR            -- declared_code | postal_code | name | nearest_centroid (approximate)
);

CREATE TABLE IF NOT EXISTS raw_mediator_structures (
    file_id                  BIGINT NOT NULL,
    line                     BIGINT NOT NULL,
    nom_structure            VARCHAR NOT NULL,
    siret                    VARCHAR,
    code_insee_input         VARCHAR NOT NULL,
    code_insee               VARCHAR NOT NULL,
    code_departement         VARCHAR NOT NULL,
    code_postal              VARCHAR,
    posts_attributed         INTEGER NOT NULL,
    posts_recruited          INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS raw_socio (
    file_id              BIGINT NOT NULL,
    line                 BIGINT NOT NULL,
    code_insee_input     VARCHAR NOT NULL,  -- commune code in the file's COG (2017 for the IFN inputs)
    code_insee           VARCHAR NOT NULL,  -- current commune
    code_departement     VARCHAR NOT NULL,
    poverty_rate         DOUBLE,            -- TX_POVERTY: % of tax households with a reference income ≤ 12 000 € (IRCOM), not a poverty rate; NULL = withheld
    no_diploma_15_plus   DOUBLE,            -- TX_NSCOL15P: % of all people 15+ out of school with at most a CAP or BEP
    living_alone         DOUBLE,            -- % of households of one person
    single_parent        DOUBLE,            -- % of single-parent families
    aged_65_plus         DOUBLE,            -- % aged 65 or more, of people aged 15+ (TX_65ETPLUS)
    aged_25_minus        DOUBLE,            -- % aged 15-24, of people aged 15+ (TX_25ETMOINS)
    jobseekers           DOUBLE,            -- % of jobseekers
    coverage_hd_thd      DOUBLE             -- share (0–1) of premises with HD/THD coverage, as given
);
