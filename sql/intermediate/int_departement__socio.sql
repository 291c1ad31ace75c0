-- Purpose: socio-demographic rates per département: communes weighted by
-- their 2026 population, over the communes where the rate is known;
-- converted from percent to share. What the IFN inputs hold
-- (dataforgoodfr/batch8_mednum notebooks): TX_NSCOL15P is (out of school
-- with no diploma or CEP + BEPC + CAP, BEP) ÷ all people aged 15+ (census
-- 2017); TX_POVERTY is the share of tax households with a reference income
-- up to 12 000 € (DGFiP, IRCOM), not a poverty rate, and is withheld where a
-- commune has too few households.
-- Grain: one row per code_departement with socio-demographic rows.
CREATE OR REPLACE VIEW int_departement__socio AS
SELECT c.code_departement,
       sum(s.aged_65_plus * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.aged_65_plus IS NOT NULL), 0) / 100 AS share_aged_65_plus,
       sum(s.no_diploma_15_plus * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.no_diploma_15_plus IS NOT NULL), 0) / 100 AS share_low_diploma_15_plus,
       sum(s.poverty_rate * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.poverty_rate IS NOT NULL), 0) / 100 AS share_low_income_households,
       sum(c.population_municipale) FILTER (WHERE s.poverty_rate IS NOT NULL) / sum(c.population_municipale) AS low_income_population_covered
FROM ref_communes AS c
JOIN stg_socio__communes AS s USING (code_insee)
GROUP BY c.code_departement;
