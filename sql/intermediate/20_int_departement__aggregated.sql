-- Purpose: per-département totals from each source, before indicators.
-- Grain: one row per code_departement present in the source (four views).
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

CREATE OR REPLACE VIEW int_departement__assessments AS
SELECT code_departement,
       count(*) AS respondents,
       count(*) FILTER (WHERE skills_class = 'illectronisme') AS respondents_illectronism
FROM int_assessments__latest_per_respondent
GROUP BY code_departement;
