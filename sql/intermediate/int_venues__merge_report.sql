-- Purpose: what deduplication merged, for review: each listing merged into
-- another, with the kept one, their distance and their names' similarity.
-- Grain: one row per listing merged into another.
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
