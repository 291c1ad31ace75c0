-- Purpose: the fragility indicators kept for the index (those whose
-- coverage int_reference__fragility_coverage accepts), per commune, where
-- known.
-- Grain: one row per (code_insee, indicator) with a value.
CREATE OR REPLACE VIEW int_commune__fragility_indicators AS
SELECT v.code_insee, v.population, v.indicator, v.value, v.source
FROM int_commune__fragility_values AS v
JOIN int_reference__fragility_coverage AS c USING (indicator)
WHERE c.kept AND v.value IS NOT NULL;
