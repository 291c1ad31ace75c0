-- Purpose: the model's estimate for France and the territories above the
-- département, with its band (the départements and communes are in their
-- own marts).
-- Grain: one row per territory: level france (outside Mayotte, the survey's
-- field), outre_mer (the five overseas départements), region.
CREATE OR REPLACE TABLE mart_illectronism_territories AS
SELECT b.level, b.code,
       coalesce(r.nom_region, CASE b.level WHEN 'france' THEN 'France hors Mayotte' WHEN 'outre_mer' THEN 'Départements d''outre-mer' END) AS nom,
       round(b.population_15_plus) AS population_15_plus,
       round(b.people_est) AS illectronism_people_est,
       round(b.people_low) AS illectronism_people_low,
       round(b.people_high) AS illectronism_people_high,
       round(b.people_est / b.population_15_plus, 4) AS illectronism_rate_est,
       round(b.people_low / b.population_15_plus, 4) AS illectronism_rate_low,
       round(b.people_high / b.population_15_plus, 4) AS illectronism_rate_high,
       round(b.people_structure_2019 / b.population_15_plus, 4) AS illectronism_rate_structure_2019
FROM diag_illectronism_bands AS b
LEFT JOIN (SELECT DISTINCT code_region, nom_region FROM ref_departements) AS r
       ON b.level = 'region' AND r.code_region = b.code
WHERE b.level IN ('france', 'outre_mer', 'region')
ORDER BY b.level, b.code;

COMMENT ON TABLE mart_illectronism_territories IS 'The small-area model''s estimate of people aged 15+ in illectronism for France outside Mayotte, the overseas départements together and each région, with its 90 % band.';

COMMENT ON COLUMN mart_illectronism_territories.level IS 'france (outside Mayotte), outre_mer (971–976) or region.';

COMMENT ON COLUMN mart_illectronism_territories.code IS 'INSEE code of the région; empty for france and outre_mer.';

COMMENT ON COLUMN mart_illectronism_territories.nom IS 'Name of the territory.';

COMMENT ON COLUMN mart_illectronism_territories.population_15_plus IS 'People aged 15 or more, estimated.';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_est IS 'Estimated people aged 15+ in illectronism (central).';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_low IS 'Low end of the 90 % band (a band does not add up: a territory''s is computed on its own draws).';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_people_high IS 'High end of the 90 % band.';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_est IS 'illectronism_people_est / population_15_plus (0–1).';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_low IS 'illectronism_people_low / population_15_plus (0–1).';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_high IS 'illectronism_people_high / population_15_plus (0–1).';

COMMENT ON COLUMN mart_illectronism_territories.illectronism_rate_structure_2019 IS 'The rate under the 2019 age-gradient variant.';
