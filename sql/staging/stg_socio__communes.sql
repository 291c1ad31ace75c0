-- Purpose: socio-demographic rates per current commune, from the latest
-- socio file (a full snapshot). Its communes are those of an older COG (2017
-- for the IFN inputs): several old communes merged into one current commune
-- are combined by a population-weighted mean, weights being the census 2021
-- population of each old unit where the 2024 centroid file gives it
-- (communes still existing in 2024, and the arrondissements of Paris, Lyon
-- and Marseille); when one of them has no such population, the mean is
-- unweighted. A figure withheld in an input (NULL) is left out of the mean.
-- An input code may appear on several rows (the IFN file repeats 1 111 codes:
-- one full row and one with the poverty rate only); its rows are combined
-- first, a rate being kept where they agree and NULL where they conflict
-- (stg_socio__repeated_inputs lists them).
-- Grain: one row per current commune (code_insee) present in the file.
-- A table, built once per build (migration 010): as a view it was
-- evaluated again by each of its readers, 17 times per build in the marts
-- alone (BENCHMARKS.md, issue 20).
CREATE OR REPLACE TABLE stg_socio__communes AS
WITH latest AS (
    SELECT code_insee_input,
           any_value(code_insee) AS code_insee,
           any_value(code_departement) AS code_departement,
           CASE WHEN min(poverty_rate) = max(poverty_rate) THEN min(poverty_rate) END AS poverty_rate,
           CASE WHEN min(no_diploma_15_plus) = max(no_diploma_15_plus) THEN min(no_diploma_15_plus) END AS no_diploma_15_plus,
           CASE WHEN min(living_alone) = max(living_alone) THEN min(living_alone) END AS living_alone,
           CASE WHEN min(single_parent) = max(single_parent) THEN min(single_parent) END AS single_parent,
           CASE WHEN min(aged_65_plus) = max(aged_65_plus) THEN min(aged_65_plus) END AS aged_65_plus,
           CASE WHEN min(aged_25_minus) = max(aged_25_minus) THEN min(aged_25_minus) END AS aged_25_minus,
           CASE WHEN min(jobseekers) = max(jobseekers) THEN min(jobseekers) END AS jobseekers,
           CASE WHEN min(coverage_hd_thd) = max(coverage_hd_thd) THEN min(coverage_hd_thd) END AS coverage_hd_thd
    FROM raw_socio
    WHERE file_id = (SELECT max(file_id) FROM raw_socio)
    GROUP BY code_insee_input
), weighted AS (
    SELECT l.*, c.population_2021 AS weight
    FROM latest AS l
    LEFT JOIN ref_commune_centroids AS c ON c.code_insee = l.code_insee_input
)
SELECT code_insee,
       any_value(code_departement) AS code_departement,
       count(*) AS inputs,
       CASE WHEN count(*) = 1 THEN 'single'
            WHEN bool_and(coalesce(weight, 0) > 0) THEN 'population_2021'
            ELSE 'equal' END AS weighting,
       weighted_rate(poverty_rate, weight) AS poverty_rate,
       weighted_rate(no_diploma_15_plus, weight) AS no_diploma_15_plus,
       weighted_rate(living_alone, weight) AS living_alone,
       weighted_rate(single_parent, weight) AS single_parent,
       weighted_rate(aged_65_plus, weight) AS aged_65_plus,
       weighted_rate(aged_25_minus, weight) AS aged_25_minus,
       weighted_rate(jobseekers, weight) AS jobseekers,
       weighted_rate(coverage_hd_thd, weight) AS coverage_hd_thd
FROM weighted
GROUP BY code_insee;
