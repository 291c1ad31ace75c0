-- Purpose: every disagreement or approximation found while loading a row that
-- was nonetheless loaded (a rejected row is in rejects instead): swapped
-- coordinates, a point outside the polygons placed by its declared code, a
-- declared code contradicting the geometry, a commune found by postal code or
-- by name, a commune left unknown, an id repeated in the file; and, about a
-- file's header (line of the header, no record id), a mapped column it lacks.
-- Grain: one row per finding; a row may have several.
CREATE TABLE IF NOT EXISTS quality_findings (
    file_id   BIGINT NOT NULL,
    line      BIGINT NOT NULL,
    record_id VARCHAR,            -- the row's own identifier (venue id), if any
    kind      VARCHAR NOT NULL,
    detail    VARCHAR NOT NULL
);
