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
