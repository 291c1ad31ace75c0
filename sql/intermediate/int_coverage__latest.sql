-- Purpose: the latest coverage period of each commune.
-- Grain: one row per code_insee.
-- A table, built once per build (migration 010): as a view it was
-- evaluated again by each of its readers, 8 times per build in the marts
-- alone (BENCHMARKS.md, issue 20).
CREATE OR REPLACE TABLE int_coverage__latest AS
SELECT *
FROM stg_coverage__communes
QUALIFY row_number() OVER (PARTITION BY code_insee ORDER BY period DESC) = 1;
