-- Purpose: the version of the raw schema this database was created with, so
-- that a database made by an incompatible build is refused with a clear
-- message instead of failing on its first insert. sql.Open checks it.
-- Grain: one row.
CREATE TABLE IF NOT EXISTS illectro_schema (version INTEGER NOT NULL);

-- Purpose: the migration ledger: each file of sql/migrations/ applied to this
-- database, once, in the same transaction as its change (sql/migrate.go). The
-- schema version is the highest of these and illectro_schema.
-- Grain: one row per applied migration.
CREATE TABLE IF NOT EXISTS illectro_migrations (
    version    INTEGER PRIMARY KEY,   -- the file's number
    name       VARCHAR NOT NULL,      -- the file's name, e.g. 006_rejects_kind.sql
    sha256     VARCHAR NOT NULL,      -- of the file's text: a migration is never edited once released
    applied_at TIMESTAMPTZ NOT NULL
);
