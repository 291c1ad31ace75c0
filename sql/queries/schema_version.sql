-- Purpose: which of the ledger, the schema-version table and the migration
-- ledger exist, to tell a new database from one made by another build.
SELECT
    EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'ingest_files') AS has_ledger,
    EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'illectro_schema') AS has_version,
    EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'illectro_migrations') AS has_migrations;
