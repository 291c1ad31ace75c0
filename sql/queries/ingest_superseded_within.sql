-- Purpose: record the rows of a self-assessment file just loaded (parameter:
-- its file_id) that are not the latest of their respondent in the file: the
-- latest assessed_at, then the highest line wins (int_assessments__latest).
-- Only the keys of tmp_ingest_repeated_keys can come more than once: a few
-- rows go through the window, not the whole file. Earlier files of the
-- source, if any, are compared next (ingest_superseded_across.sql).
INSERT INTO raw_assessments_superseded
SELECT file_id, line
FROM raw_assessments
WHERE file_id = $1
  AND respondent_key IN (SELECT respondent_key FROM tmp_ingest_repeated_keys)
QUALIFY row_number() OVER (PARTITION BY respondent_key ORDER BY assessed_at DESC, line DESC) > 1;
