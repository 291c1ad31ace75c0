-- Purpose: the respondent keys a self-assessment file being loaded may hold
-- more than once (ingest's repeatedKeys: every key that comes again, and a
-- few others), appended by ingest, read by ingest_superseded_*.sql, dropped
-- in the same transaction.
-- Grain: one row per key.
CREATE OR REPLACE TEMP TABLE tmp_ingest_repeated_keys (respondent_key BIGINT NOT NULL);
