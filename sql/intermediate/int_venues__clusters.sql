-- Purpose: the cluster of each venue listing: chains of matching pairs
-- (int_venues__pairs) form one venue, named by its smallest id.
-- Grain: one row per listing (stg_venues__venues).
-- A table, built once per build (migration 010): as a view, its recursive
-- query ran at every reader of int_venues__deduplicated, eight times in the
-- marts alone (0.3 s each at 20 000 venues, BENCHMARKS.md, issue 20).
CREATE OR REPLACE TABLE int_venues__clusters AS
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
