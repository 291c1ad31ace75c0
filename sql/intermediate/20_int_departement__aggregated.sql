-- Purpose: per-département totals from each source, before indicators.
-- Grain: one row per code_departement present in the source (five views;
-- int_assessments__counts, per département and age band, feeds one).
CREATE OR REPLACE VIEW int_departement__coverage AS
SELECT code_departement,
       sum(premises) AS premises,
       sum(premises_ge_8mbps) AS premises_ge_8mbps,
       sum(premises_ge_30mbps) AS premises_ge_30mbps,
       max(period) AS coverage_period
FROM int_coverage__latest
GROUP BY code_departement;

CREATE OR REPLACE VIEW int_departement__venues AS
SELECT code_departement, count(*) AS venues
FROM int_venues__deduplicated
GROUP BY code_departement;

CREATE OR REPLACE VIEW int_departement__mediators AS
SELECT code_departement,
       sum(posts_attributed) AS posts_attributed,
       sum(posts_recruited) AS posts_recruited
FROM stg_mediators__structures
GROUP BY code_departement;

-- Purpose: respondents (latest assessment each) per département and age
-- band: in all, in each class, and without a basic skill in each DigComp
-- area (level 0). The département totals below are made from it. True
-- counts: the secrecy rules decide on them; nothing publishes them (the
-- marts publish int_assessments__perturbed).
-- Grain: one row per (code_departement, age_band) with respondents.
CREATE OR REPLACE VIEW int_assessments__counts AS
SELECT code_departement, age_band,
       sum(x) FILTER (WHERE measure = 'respondents') AS n,
       sum(x) FILTER (WHERE measure = 'illectronisme') AS illectronisme,
       sum(x) FILTER (WHERE measure = 'capacites_faibles') AS capacites_faibles,
       sum(x) FILTER (WHERE measure = 'autonome') AS autonome,
       sum(x) FILTER (WHERE measure = 'no_basic_information') AS no_basic_information,
       sum(x) FILTER (WHERE measure = 'no_basic_communication') AS no_basic_communication,
       sum(x) FILTER (WHERE measure = 'no_basic_content_creation') AS no_basic_content_creation,
       sum(x) FILTER (WHERE measure = 'no_basic_safety') AS no_basic_safety,
       sum(x) FILTER (WHERE measure = 'no_basic_problem_solving') AS no_basic_problem_solving
FROM int_assessments__cells
GROUP BY code_departement, age_band;

-- Sums of counts stay BIGINT, as the counts were.
CREATE OR REPLACE VIEW int_departement__assessments AS
SELECT code_departement,
       CAST(sum(n) AS BIGINT) AS respondents,
       CAST(sum(illectronisme) AS BIGINT) AS respondents_illectronism,
       CAST(sum(capacites_faibles) AS BIGINT) AS respondents_capacites_faibles,
       CAST(sum(autonome) AS BIGINT) AS respondents_autonome,
       CAST(sum(no_basic_information) AS BIGINT) AS respondents_no_basic_information,
       CAST(sum(no_basic_communication) AS BIGINT) AS respondents_no_basic_communication,
       CAST(sum(no_basic_content_creation) AS BIGINT) AS respondents_no_basic_content_creation,
       CAST(sum(no_basic_safety) AS BIGINT) AS respondents_no_basic_safety,
       CAST(sum(no_basic_problem_solving) AS BIGINT) AS respondents_no_basic_problem_solving
FROM int_assessments__counts
GROUP BY code_departement;

CREATE OR REPLACE VIEW int_departement__socio AS
-- Rates per département: communes weighted by their 2026 population, over
-- the communes where the rate is known; converted from percent to share.
-- What the IFN inputs hold (dataforgoodfr/batch8_mednum notebooks):
-- TX_NSCOL15P is (out of school with no diploma or CEP + BEPC + CAP, BEP) ÷
-- all people aged 15+ (census 2017); TX_POVERTY is the share of tax
-- households with a reference income up to 12 000 € (DGFiP, IRCOM), not a
-- poverty rate, and is withheld where a commune has too few households.
SELECT c.code_departement,
       sum(s.aged_65_plus * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.aged_65_plus IS NOT NULL), 0) / 100 AS share_aged_65_plus,
       sum(s.no_diploma_15_plus * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.no_diploma_15_plus IS NOT NULL), 0) / 100 AS share_low_diploma_15_plus,
       sum(s.poverty_rate * c.population_municipale) / nullif(sum(c.population_municipale) FILTER (WHERE s.poverty_rate IS NOT NULL), 0) / 100 AS share_low_income_households,
       sum(c.population_municipale) FILTER (WHERE s.poverty_rate IS NOT NULL) / sum(c.population_municipale) AS low_income_population_covered
FROM ref_communes AS c
JOIN stg_socio__communes AS s USING (code_insee)
GROUP BY c.code_departement;
