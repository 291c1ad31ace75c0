-- Purpose: how many runs in a row, up to the latest, ended without loading
-- a file (succeeded or unchanged, files_loaded = 0): a source that stopped
-- arriving. Failed runs neither count nor break the streak. Returns the
-- count and the start of the last run that loaded a file (NULL: none).
WITH last_load AS (
    SELECT max(run_id) AS run_id FROM runs WHERE status IN ('succeeded', 'unchanged') AND files_loaded > 0
)
SELECT count(*) FILTER (WHERE r.status IN ('succeeded', 'unchanged') AND r.run_id > coalesce(l.run_id, 0)),
       (SELECT started_at FROM runs WHERE run_id = l.run_id)
FROM runs r, last_load l
GROUP BY l.run_id;
