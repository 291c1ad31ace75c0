-- Migration 8: illectro_database, the identity of this database: an id drawn
-- once, when the database is created or first migrated, and kept when the
-- file is moved. Every analysts' snapshot records it with the database's
-- path (snapshot_info), so that a snapshot is tied to its database: a
-- database never replaces another one's snapshot (sql.Snapshot), and
-- `illectro sql` refuses a snapshot of another database than the one it is
-- asked about.
-- Grain: one row.
CREATE TABLE illectro_database (
    id         UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

INSERT INTO illectro_database VALUES (uuid(), now());
