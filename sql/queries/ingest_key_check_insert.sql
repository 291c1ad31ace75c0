-- Purpose: record the key check value of a source's first loaded file of
-- real (not synthetic) self-assessments, in the transaction that loads it.
INSERT INTO pseudonym_keys (source, key_check, recorded_at) VALUES (?, ?, now());
