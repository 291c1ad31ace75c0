-- Purpose: which of the ledger and the schema-version table exist, to tell a
-- new database from one made by another build.
SELECT
    EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'ingest_files') AS has_ledger,
    EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'illectro_schema') AS has_version;
