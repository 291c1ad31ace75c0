-- Purpose: record the rows that a self-assessment file just loaded
-- (parameters: its file_id, its source or NULL) supersedes, and those of its
-- own rows that are not their respondent's latest, when earlier files have
-- its source. A respondent's rows compete only with the latest row they
-- already had (earlier rows already lost to it): the latest assessed_at,
-- then the highest file_id, then the highest line wins
-- (int_assessments__latest). Rows of the file whose key is neither repeated
-- in it (tmp_ingest_repeated_keys) nor known from an earlier file are their
-- respondent's only row, and stay latest.
INSERT INTO raw_assessments_superseded
WITH earlier AS (
    SELECT a.respondent_key, a.assessed_at, a.file_id, a.line
    FROM raw_assessments AS a
    JOIN ingest_files AS f USING (file_id)
    WHERE f.source IS NOT DISTINCT FROM CAST($2 AS VARCHAR) AND a.file_id <> $1
      AND a.respondent_key IN (SELECT respondent_key FROM raw_assessments WHERE file_id = $1)
      AND NOT EXISTS (SELECT 1 FROM raw_assessments_superseded AS s
                      WHERE s.file_id = a.file_id AND s.line = a.line)
), contested AS (
    SELECT respondent_key FROM tmp_ingest_repeated_keys
    UNION
    SELECT respondent_key FROM earlier
)
SELECT file_id, line
FROM (SELECT respondent_key, assessed_at, file_id, line
      FROM raw_assessments
      WHERE file_id = $1 AND respondent_key IN (SELECT respondent_key FROM contested)
      UNION ALL
      SELECT respondent_key, assessed_at, file_id, line FROM earlier)
QUALIFY row_number() OVER (PARTITION BY respondent_key
                           ORDER BY assessed_at DESC, file_id DESC, line DESC) > 1;
