-- Purpose: one row per physical venue. The same place listed by several
-- sources under different ids (a France Services site that is also in the
-- data·inclusion listing, say) is merged when two listings lie within 50 m of
-- each other and their names match (Jaro-Winkler similarity ≥ 0.9 on folded
-- names, or one name contains the other). Chains of such pairs form one
-- venue. The record kept is the most recently updated (then the smallest id);
-- the merged venue belongs to the national programmes of all its listings.
-- Grain: int_venues__pairs one row per matching pair; int_venues__clusters one
-- row per listing; int_venues__deduplicated one row per venue;
-- int_venues__merge_report one row per listing merged into another.
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

CREATE OR REPLACE VIEW int_venues__clusters AS
WITH RECURSIVE edges AS (
    SELECT id_a AS a, id_b AS b FROM int_venues__pairs
    UNION ALL
    SELECT id_b, id_a FROM int_venues__pairs
), reach(id, root) AS (
    SELECT id, id FROM stg_venues__venues
    UNION
    SELECT e.b, r.root FROM reach AS r JOIN edges AS e ON e.a = r.id
)
SELECT id, min(root) AS cluster
FROM reach
GROUP BY id;

CREATE OR REPLACE VIEW int_venues__deduplicated AS
WITH members AS (
    SELECT v.*, c.cluster,
           row_number() OVER (PARTITION BY c.cluster ORDER BY v.date_maj DESC NULLS LAST, v.id) AS rank
    FROM stg_venues__venues AS v
    JOIN int_venues__clusters AS c USING (id)
), programmes AS (
    SELECT cluster,
           count(*) AS listings,
           array_to_string(list_sort(list_distinct(flatten(list(
               list_filter(string_split(coalesce(dispositif_programmes_nationaux, ''), '|'), x -> x <> '')
           )))), '|') AS programmes
    FROM members
    GROUP BY cluster
)
SELECT m.id, m.nom, m.commune, m.code_postal, m.code_insee_input, m.adresse, m.longitude, m.latitude,
       m.source, m.date_maj, m.services, nullif(p.programmes, '') AS dispositif_programmes_nationaux,
       m.code_departement, m.code_insee, p.listings
FROM members AS m
JOIN programmes AS p USING (cluster)
WHERE m.rank = 1;

CREATE OR REPLACE VIEW int_venues__merge_report AS
SELECT k.id AS kept_id, k.nom AS kept_nom, k.source AS kept_source,
       v.id AS merged_id, v.nom AS merged_nom, v.source AS merged_source,
       round(haversine_km(k.longitude, k.latitude, v.longitude, v.latitude) * 1000, 1) AS distance_m,
       round(jaro_winkler_similarity(name_key(k.nom), name_key(v.nom)), 3) AS name_similarity
FROM stg_venues__venues AS v
JOIN int_venues__clusters AS c USING (id)
JOIN int_venues__clusters AS kc ON kc.cluster = c.cluster
JOIN int_venues__deduplicated AS k ON k.id = kc.id
WHERE v.id <> k.id;
