-- For every loaded file: rows read = rows loaded + rows rejected, and the
-- rejects table holds exactly one row per rejected row.
SELECT f.file_id, f.name, f.rows_read, f.rows_loaded, f.rows_rejected, count(r.file_id) AS rejects
FROM ingest_files AS f
LEFT JOIN rejects AS r USING (file_id)
WHERE f.status = 'loaded'
GROUP BY ALL
HAVING f.rows_read <> f.rows_loaded + f.rows_rejected OR count(r.file_id) <> f.rows_rejected;
