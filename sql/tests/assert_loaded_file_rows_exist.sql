-- Loaded files own exactly the raw rows they claim: no lost or duplicated rows.
WITH raw AS (
    SELECT file_id, count(*) AS n FROM raw_assessments GROUP BY file_id
    UNION ALL SELECT file_id, count(*) FROM raw_coverage GROUP BY file_id
    UNION ALL SELECT file_id, count(*) FROM raw_venues GROUP BY file_id
    UNION ALL SELECT file_id, count(*) FROM raw_mediator_structures GROUP BY file_id
    UNION ALL SELECT file_id, count(*) FROM raw_socio GROUP BY file_id
)
SELECT f.file_id, f.name, f.rows_loaded, coalesce(sum(raw.n), 0) AS raw_rows
FROM ingest_files AS f
LEFT JOIN raw USING (file_id)
WHERE f.status = 'loaded'
GROUP BY ALL
HAVING f.rows_loaded <> coalesce(sum(raw.n), 0);
