-- Purpose: record that a loaded file was written by illectro gen (all its
-- rows carry the synthetic marker), in the transaction that loads it.
INSERT INTO ingest_synthetic_files (file_id) VALUES (?);
