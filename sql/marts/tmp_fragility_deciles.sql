-- Purpose: the communes' deciles of each fragility indicator, computed once
-- per build for mart_departement and mart_commune (see
-- tmp_fragility_coverage).
-- Grain: one row per (code_insee, indicator).
CREATE OR REPLACE TEMP TABLE tmp_fragility_deciles AS
SELECT * FROM int_commune__fragility_deciles;
