-- Purpose: the version of the raw schema this database was created with, so
-- that a database made by an incompatible build is refused with a clear
-- message instead of failing on its first insert. sql.Open checks it.
-- Grain: one row.
CREATE TABLE IF NOT EXISTS illectro_schema (version INTEGER NOT NULL);
