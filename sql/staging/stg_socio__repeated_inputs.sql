-- Purpose: input codes that appear on several rows of the latest socio file,
-- with the rates on which the rows disagree (set to NULL above).
-- Grain: one row per repeated input code.
CREATE OR REPLACE VIEW stg_socio__repeated_inputs AS
SELECT code_insee_input, count(*) AS rows,
       list_filter([CASE WHEN min(poverty_rate) <> max(poverty_rate) THEN 'poverty_rate' END, CASE WHEN min(no_diploma_15_plus) <> max(no_diploma_15_plus) THEN 'no_diploma_15_plus' END, CASE WHEN min(living_alone) <> max(living_alone) THEN 'living_alone' END, CASE WHEN min(single_parent) <> max(single_parent) THEN 'single_parent' END, CASE WHEN min(aged_65_plus) <> max(aged_65_plus) THEN 'aged_65_plus' END, CASE WHEN min(aged_25_minus) <> max(aged_25_minus) THEN 'aged_25_minus' END, CASE WHEN min(jobseekers) <> max(jobseekers) THEN 'jobseekers' END, CASE WHEN min(coverage_hd_thd) <> max(coverage_hd_thd) THEN 'coverage_hd_thd' END], x -> x IS NOT NULL) AS conflicting
FROM raw_socio
WHERE file_id = (SELECT max(file_id) FROM raw_socio)
GROUP BY code_insee_input
HAVING count(*) > 1;
