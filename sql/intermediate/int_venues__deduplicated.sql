-- Purpose: one row per physical venue. Of each cluster of listings
-- (int_venues__clusters), the record kept is the most recently updated (then
-- the smallest id); the merged venue belongs to the national programmes of
-- all its listings, and counts them.
-- Grain: one row per venue.
-- A table, built once per build (migration 010): as a view it was
-- evaluated again by each of its readers, 6 times per build in the marts
-- alone (BENCHMARKS.md, issue 20).
CREATE OR REPLACE TABLE int_venues__deduplicated AS
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
