-- Purpose: the key check value recorded for a source of self-assessments,
-- if any (pseudonym_keys); the loader compares it with its key's.
SELECT key_check FROM pseudonym_keys WHERE source = ?;
