-- Purpose: the coverage of each fragility indicator: the share of communes
-- with their own value, with a value once filled from their département, and
-- whether the indicator is kept in the index (at least 90 % once filled).
-- Grain: one row per indicator (8 rows).
CREATE OR REPLACE VIEW int_reference__fragility_coverage AS
SELECT indicator,
       count(value) FILTER (WHERE source = 'commune') / count(*) AS commune_coverage,
       count(value) / count(*) AS filled_coverage,
       count(value) / count(*) >= 0.9 AS kept
FROM int_commune__fragility_values
GROUP BY indicator;
