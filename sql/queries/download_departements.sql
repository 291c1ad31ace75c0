-- Purpose: the rows of the département downloads (CSV, CSV for Excel,
-- Parquet, xlsx): every column of mart_departement but the previous_* ones,
-- which describe the previous build rather than the data.
-- Grain: one row per département, in code order.
-- The counts that DuckDB sums into HUGEINT are cast back to BIGINT: Parquet
-- has no 128-bit integer, and DuckDB would write them as DOUBLE.
-- Every proportion from 0 to 1 has "share" in its name in the downloads, so
-- that nobody reads 0.139 as 0.139 %: the mart's rates and coverages are
-- renamed here, in place (the marts keep their names, a contract of the
-- snapshot; publish/downloads/dictionnaire_donnees.csv gives both).
-- No final semicolon: download_parquet.sql wraps the query in a COPY.
SELECT * REPLACE (
           CAST(population_beyond_10km AS BIGINT) AS population_beyond_10km,
           CAST(population_beyond_20km AS BIGINT) AS population_beyond_20km,
           CAST(premises AS BIGINT) AS premises,
           CAST(mediator_posts_attributed AS BIGINT) AS mediator_posts_attributed,
           CAST(mediator_posts AS BIGINT) AS mediator_posts)
         RENAME (
           age_data_coverage AS age_data_coverage_share,
           diploma_data_coverage AS diploma_data_coverage_share,
           income_data_coverage AS income_data_coverage_share,
           illectronism_rate_est AS illectronism_share_est,
           illectronism_rate_low AS illectronism_share_low,
           illectronism_rate_high AS illectronism_share_high,
           illectronism_rate_structure_2019 AS illectronism_share_structure_2019,
           low_income_population_covered AS low_income_population_covered_share)
FROM (SELECT COLUMNS(c -> NOT starts_with(c, 'previous_')) FROM mart_departement)
ORDER BY code_departement
