-- Purpose: the rows set aside by the deduplication above, with the row kept.
-- Grain: one row per duplicate input row.
CREATE OR REPLACE VIEW stg_assessments__duplicates AS
SELECT a.file_id, a.line, f.source, a.respondent_key, a.assessed_at,
       first_value(a.file_id) OVER w AS kept_file_id,
       first_value(a.line) OVER w AS kept_line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
WINDOW w AS (PARTITION BY f.source, a.respondent_key, a.assessed_at ORDER BY a.file_id DESC, a.line DESC)
QUALIFY row_number() OVER w > 1;
