-- Purpose: the rows of the département downloads (CSV, CSV for Excel,
-- Parquet): every column of mart_departement but the previous_* ones, which
-- describe the previous build rather than the data.
-- Grain: one row per département, in code order.
-- The counts that DuckDB sums into HUGEINT are cast back to BIGINT: Parquet
-- has no 128-bit integer, and DuckDB would write them as DOUBLE. No final
-- semicolon: download_parquet.sql wraps the query in a COPY.
SELECT * REPLACE (
           CAST(population_beyond_10km AS BIGINT) AS population_beyond_10km,
           CAST(population_beyond_20km AS BIGINT) AS population_beyond_20km,
           CAST(premises AS BIGINT) AS premises,
           CAST(mediator_posts_attributed AS BIGINT) AS mediator_posts_attributed,
           CAST(mediator_posts AS BIGINT) AS mediator_posts)
FROM (SELECT COLUMNS(c -> NOT starts_with(c, 'previous_')) FROM mart_departement)
ORDER BY code_departement
