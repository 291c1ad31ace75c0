-- Purpose: the fragility index, computed once per build: the indicators'
-- coverage and deciles (intermediate views, which need the access distances
-- the diagnostics package writes after the views), then the weight sets,
-- the scores of the communes and of the départements. Both mart_departement
-- and mart_commune read it: as views, each would compute it all again. These
-- temporary tables live in the build's session only; analysts read the
-- marts (and mart_fragility_indicators). This one: the indicators' coverage.
-- Grain: one row per indicator.
CREATE OR REPLACE TEMP TABLE tmp_fragility_coverage AS
SELECT * FROM int_reference__fragility_coverage;
