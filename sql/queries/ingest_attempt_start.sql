-- Purpose: record that a file's load starts, committed before the load's
-- own transaction. Parameters: kind, sha256, name, size_bytes, started_at.
INSERT INTO ingest_attempts (kind, sha256, name, size_bytes, started_at) VALUES (?, ?, ?, ?, ?);
