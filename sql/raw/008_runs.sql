-- Purpose: the run ledger. One row per run of the pipeline (illectro run,
-- or a scheduled run), written when it starts and updated when it ends; a
-- run still 'running' when the next one starts was interrupted (killed,
-- power cut) and is then marked failed. A run that finds nothing new (same
-- program, parameters and input files as the latest build, whose release is
-- still live) rebuilds nothing and ends 'unchanged'.
-- Grain: one row per run.
CREATE TABLE IF NOT EXISTS runs (
    run_id        BIGINT PRIMARY KEY,
    trigger       VARCHAR NOT NULL,     -- manual | schedule
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,     -- running | succeeded | unchanged | failed
    error         VARCHAR,              -- why a failed run stopped
    files_loaded  INTEGER,              -- files loaded by this run (already loaded ones excluded)
    files_refused INTEGER,
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    release       VARCHAR,              -- the release published, or the one left live
    fingerprint   VARCHAR               -- sha256 of the program, parameters and ingest ledger it built from
);
-- Added after schema version 5 was released: databases created before get
-- the column on their next run.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;
-- Migration 007 adds error_kind (the RunErrorKind's code).
