-- Purpose: premises and their broadband eligibility per département, from
-- each commune's latest ARCEP period, before indicators.
-- Grain: one row per code_departement with coverage rows.
CREATE OR REPLACE VIEW int_departement__coverage AS
SELECT code_departement,
       sum(premises) AS premises,
       sum(premises_ge_8mbps) AS premises_ge_8mbps,
       sum(premises_ge_30mbps) AS premises_ge_30mbps,
       max(period) AS coverage_period
FROM int_coverage__latest
GROUP BY code_departement;
