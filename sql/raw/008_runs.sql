-- Purpose: the run ledger. One row per run of the pipeline (illectro run,
-- or a scheduled run), written when it starts and updated when it ends; a
-- run still 'running' when the next one starts was interrupted (killed,
-- power cut) and is then marked failed.
-- Grain: one row per run.
CREATE TABLE IF NOT EXISTS runs (
    run_id        BIGINT PRIMARY KEY,
    trigger       VARCHAR NOT NULL,     -- manual | schedule
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,     -- running | succeeded | failed
    error         VARCHAR,              -- why a failed run stopped
    files_loaded  INTEGER,              -- files loaded by this run (already loaded ones excluded)
    files_refused INTEGER,
    rows_loaded   BIGINT,
    rows_rejected BIGINT,
    release       VARCHAR               -- the release published, or the one left live by a failure
);
