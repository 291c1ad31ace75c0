-- Migration 9: raw_assessments_superseded, the self-assessment rows that are
-- not their respondent's latest, kept up to date by ingest in each file's
-- transaction (sql/queries/ingest_superseded_*.sql), so that a build no
-- longer ranks every respondent in one window (issue 20, BENCHMARKS.md).
-- A respondent is a (source, respondent_key); their latest row is the one
-- with the latest assessed_at, then the highest file_id, then the highest
-- line: every other row of theirs is superseded, an earlier assessment as
-- well as a copy of the same one (stg_assessments__duplicates lists those).
-- int_assessments__latest is raw_assessments without these rows.
-- Grain: one row per superseded raw_assessments row.
CREATE TABLE raw_assessments_superseded (
    file_id BIGINT NOT NULL,  -- raw_assessments.file_id
    line    BIGINT NOT NULL   -- raw_assessments.line
);

-- The rows already loaded, ranked once as the build used to.
INSERT INTO raw_assessments_superseded
SELECT a.file_id, a.line
FROM raw_assessments AS a
LEFT JOIN ingest_files AS f USING (file_id)
QUALIFY row_number() OVER (PARTITION BY f.source, a.respondent_key
                           ORDER BY a.assessed_at DESC, a.file_id DESC, a.line DESC) > 1;

-- int_assessments__latest was a table rebuilt by every build; it is a view
-- now, and a view cannot replace a table of the same name. (Every database
-- built since the table replaced the view, before this migration, has the
-- table, or nothing if it was never built.)
DROP TABLE IF EXISTS int_assessments__latest;
