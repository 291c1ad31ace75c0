-- Purpose: pairs of venue listings that are the same place: within 50 m of
-- each other and with matching names (Jaro-Winkler similarity ≥ 0.9 on folded
-- names, or one name contains the other). The same place listed by several
-- sources under different ids (a France Services site that is also in the
-- data·inclusion listing, say) is then merged by int_venues__clusters and
-- int_venues__deduplicated.
-- Grain: one row per matching pair (id_a < id_b).
CREATE OR REPLACE VIEW int_venues__pairs AS
WITH v AS (
    SELECT id, nom, longitude, latitude, name_key(nom) AS name_key,
           CAST(floor(latitude * 1000) AS BIGINT) AS cy,  -- cells of 0.001° (≥ 64 m in France)
           CAST(floor(longitude * 1000) AS BIGINT) AS cx
    FROM stg_venues__venues
), neighbours AS (
    -- each listing's cell and the 8 around it, as keys of an equality join
    -- (a hash join: a range join on cells costs seconds at 20 000 venues)
    SELECT v.*, v.cy + dy AS ny, v.cx + dx AS nx
    FROM v, (VALUES (-1), (0), (1)) AS y(dy), (VALUES (-1), (0), (1)) AS x(dx)
), near AS (
    SELECT a.id AS id_a, b.id AS id_b, a.name_key AS name_a, b.name_key AS name_b,
           haversine_km(a.longitude, a.latitude, b.longitude, b.latitude) * 1000 AS distance_m
    FROM neighbours AS a
    JOIN v AS b
      ON b.cy = a.ny
     AND b.cx = a.nx
     AND a.id < b.id
)
SELECT id_a, id_b, distance_m, jaro_winkler_similarity(name_a, name_b) AS name_similarity,
       CASE WHEN jaro_winkler_similarity(name_a, name_b) >= 0.9 THEN 'similar names'
            ELSE 'one name contains the other' END AS reason
FROM near
WHERE distance_m <= 50
  AND name_a <> '' AND name_b <> ''
  AND (jaro_winkler_similarity(name_a, name_b) >= 0.9 OR contains(name_a, name_b) OR contains(name_b, name_a));
