-- Purpose: results computed in Go by the diagnostics package, where SQL is
-- awkward (nearest-neighbour search), rewritten on every run between the
-- intermediate layer and the marts.
-- Grain of diag_centroid_access: one row per commune centroid (COG 2024
-- communes and the arrondissements of Paris, Lyon and Marseille) and per venue
-- group: 'all' venues, or one national programme.
CREATE TABLE IF NOT EXISTS diag_centroid_access (
    centroid_code     VARCHAR NOT NULL,  -- code of the centroid's unit (2024 commune or arrondissement)
    code_insee        VARCHAR NOT NULL,  -- the current (2026) commune it belongs to
    code_departement  VARCHAR NOT NULL,
    population_2021   BIGINT NOT NULL,   -- census 2021 population of the unit
    venue_group       VARCHAR NOT NULL,  -- 'all' or a national programme
    nearest_venue_id  VARCHAR,           -- NULL when the group has no venue at all
    distance_km       DOUBLE             -- great-circle distance to it; NULL likewise
);
