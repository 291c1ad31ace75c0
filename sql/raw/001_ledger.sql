-- Purpose: the ingest ledger. One row per file ever offered to ingest, and one
-- row per rejected input row with the reason.
-- Grain: ingest_files = one file attempt; rejects = one rejected row (or field).
CREATE SEQUENCE IF NOT EXISTS ingest_file_id_seq START 1;

-- As of schema version 5; migration 007 adds error_kind (the FileErrorKind's code).
CREATE TABLE IF NOT EXISTS ingest_files (
    file_id       BIGINT PRIMARY KEY,
    kind          VARCHAR NOT NULL,   -- assessments | coverage | venues | mediators | socio
    name          VARCHAR NOT NULL,   -- file name as given (no directory for inbox files)
    sha256        VARCHAR NOT NULL,   -- hex digest of the bytes read
    size_bytes    BIGINT NOT NULL,
    rows_read     BIGINT NOT NULL,    -- data rows read (header excluded)
    rows_loaded   BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,    -- rows_read = rows_loaded + rows_rejected
    format        VARCHAR,            -- detected format, e.g. arcep_beta_exclusive
    source        VARCHAR,            -- assessments: the mapping's name; respondent ids are unique within a source
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NOT NULL,
    status        VARCHAR NOT NULL,   -- loaded | failed
    error         VARCHAR             -- why a failed file was refused
);

-- Files written by illectro gen, whatever their name: every loaded row
-- carried the synthetic marker (ingest.SyntheticIDPrefix). While one is
-- loaded, every page says the figures rest on synthetic data.
CREATE TABLE IF NOT EXISTS ingest_synthetic_files (
    file_id BIGINT PRIMARY KEY            -- ingest_files.file_id of a loaded file
);

-- The key check value of the key each source's respondents were
-- pseudonymised with (ingest.KeyCheck: 8 bytes of an HMAC of a constant,
-- which reveal nothing of the key). A file of the source under another key
-- is refused: its respondents would be counted a second time.
CREATE TABLE IF NOT EXISTS pseudonym_keys (
    source      VARCHAR PRIMARY KEY,  -- ingest_files.source: the mapping's name
    key_check   VARCHAR NOT NULL,     -- hex
    recorded_at TIMESTAMPTZ NOT NULL  -- when its first file was loaded
);

-- Loads under way: a row is committed as a file's load starts, and closed
-- when it ends, whatever the outcome. A row left open is a load during which
-- the process died (killed, out of memory, power cut): the next run says
-- so, and a file during whose load it died twice is quarantined
-- (ingest.ErrFileQuarantined) rather than killing every night. Operators
-- only: not in the analysts' snapshot.
CREATE TABLE IF NOT EXISTS ingest_attempts (
    kind        VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,     -- of the file's bytes
    name        VARCHAR NOT NULL,
    size_bytes  BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,          -- NULL: under way, or the process died during it
    outcome     VARCHAR               -- loaded | refused | interrupted | quarantined
);

-- As of schema version 5; migration 006 adds kind (the RejectKind's code).
CREATE TABLE IF NOT EXISTS rejects (
    file_id     BIGINT NOT NULL,
    line        BIGINT NOT NULL,      -- physical line in the file, 1-based, header included
    column_name VARCHAR,              -- the offending column, NULL for a whole-row problem
    value       VARCHAR,              -- the offending value, truncated to 200 characters
    reason      VARCHAR NOT NULL
);
