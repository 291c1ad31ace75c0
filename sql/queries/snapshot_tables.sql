-- Purpose: the tables of the working database that a snapshot copies for
-- analysts (sql.Snapshot), with their comments: the marts, their history,
-- the reference tables, the ingest ledger and the run history. Left out: the
-- raw input tables and rejects (personal or raw data), quality_findings (raw
-- values; the snapshot holds their counts instead), diag_* (intermediate
-- results of the diagnostics, summed up in the marts), ref_version,
-- illectro_schema and illectro_migrations (bookkeeping of the working
-- database), and any table added later until it is listed here.
-- Grain: one row per table, in name order.
SELECT table_name, coalesce(comment, '') AS comment
FROM duckdb_tables()
WHERE database_name = current_database()
  AND schema_name = 'main'
  AND NOT temporary
  AND (starts_with(table_name, 'mart_')
       OR (starts_with(table_name, 'ref_') AND table_name <> 'ref_version')
       OR table_name IN ('hist_departement', 'ingest_files', 'runs'))
ORDER BY table_name;
