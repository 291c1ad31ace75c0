-- Migration 10: four relations of the SQL layers that were views are now
-- tables, built once by each build (issue 20): evaluated as views at every
-- reader, they took most of the marts' time (stg_socio__communes 17 times
-- per build, int_coverage__latest 8 times, the recursive venue clusters 8
-- times). A table cannot replace a view of the same name: the views go here,
-- and the next build creates the tables. Until it does, the marts and
-- pages built before still read as they were.
DROP VIEW IF EXISTS stg_socio__communes;
DROP VIEW IF EXISTS int_coverage__latest;
DROP VIEW IF EXISTS int_venues__clusters;
DROP VIEW IF EXISTS int_venues__deduplicated;
