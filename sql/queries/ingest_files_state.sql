-- Purpose: the state of the append-only ingest ledger, for a run's
-- fingerprint: its highest file id and its number of file attempts.
SELECT coalesce(max(file_id), 0), count(*) FROM ingest_files;
