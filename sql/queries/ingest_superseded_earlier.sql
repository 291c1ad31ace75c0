-- Purpose: whether an earlier loaded file has self-assessments of the source
-- of the file being loaded (parameters: its file_id, its source or NULL):
-- only then can the file supersede rows of other files.
SELECT EXISTS (SELECT 1 FROM ingest_files
               WHERE kind = 'assessments' AND status = 'loaded' AND file_id <> $1
                 AND source IS NOT DISTINCT FROM CAST($2 AS VARCHAR));
