-- Purpose: record the rows that a self-assessment file just loaded
-- (parameters: its file_id, its source or NULL) supersedes in earlier files
-- of its source, or that supersede its own, once its own repeats are
-- recorded (ingest_superseded_within.sql). Each respondent then has at most
-- one current row in the file and one in the earlier files (earlier rows
-- already lost to it): of the two, the latest assessed_at, then the highest
-- file_id, then the highest line wins (int_assessments__latest). A hash
-- join on the respondent, not a window: the smaller side is built. ANTI
-- JOIN, not NOT EXISTS: DuckDB 1.5 planned this NOT EXISTS as a delim join
-- grouping every row (17 s and 1.7 GiB for 5 M rows against 10 M; 3 s now).
INSERT INTO raw_assessments_superseded
WITH mine AS (
    SELECT a.respondent_key, a.assessed_at, a.file_id, a.line
    FROM raw_assessments AS a
    ANTI JOIN raw_assessments_superseded AS s USING (file_id, line)
    WHERE a.file_id = $1
), theirs AS (
    SELECT a.respondent_key, a.assessed_at, a.file_id, a.line
    FROM raw_assessments AS a
    JOIN ingest_files AS f USING (file_id)
    ANTI JOIN raw_assessments_superseded AS s USING (file_id, line)
    WHERE f.source IS NOT DISTINCT FROM CAST($2 AS VARCHAR) AND a.file_id <> $1
), pairs AS (
    SELECT m.file_id AS m_file, m.line AS m_line, t.file_id AS t_file, t.line AS t_line,
           m.assessed_at > t.assessed_at
           OR (m.assessed_at = t.assessed_at
               AND (m.file_id > t.file_id OR (m.file_id = t.file_id AND m.line > t.line))) AS mine_wins
    FROM mine AS m
    JOIN theirs AS t USING (respondent_key)
)
SELECT CASE WHEN mine_wins THEN t_file ELSE m_file END AS file_id,
       CASE WHEN mine_wins THEN t_line ELSE m_line END AS line
FROM pairs;
