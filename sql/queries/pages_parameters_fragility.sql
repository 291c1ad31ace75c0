-- Purpose: the coverage of each fragility indicator and whether it enters
-- the index, for the methodology page.
SELECT indicator, commune_coverage, filled_coverage, kept
FROM mart_fragility_indicators;
