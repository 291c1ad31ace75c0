-- Purpose: record that a file's load ended (loaded, refused or
-- interrupted), or that the file was quarantined: every unfinished
-- attempt of its bytes is then closed. Parameters: outcome, kind, sha256.
UPDATE ingest_attempts SET finished_at = now(), outcome = ?
WHERE kind = ? AND sha256 = ? AND finished_at IS NULL;
