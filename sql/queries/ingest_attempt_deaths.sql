-- Purpose: the loads of a file's bytes that never ended: the process died
-- during each (killed, out of memory, power cut). Parameters: kind, sha256.
-- Returns their count and their start times.
SELECT count(*), coalesce(string_agg(strftime(started_at, '%Y-%m-%d %H:%M:%S'), ', ' ORDER BY started_at), '')
FROM ingest_attempts
WHERE kind = ? AND sha256 = ? AND finished_at IS NULL;
