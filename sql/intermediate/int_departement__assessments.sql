-- Purpose: respondents per département (latest assessment each): in all, in
-- each class, and without a basic skill in each DigComp area; the sums of
-- int_assessments__counts over age bands. True counts, for the secrecy
-- rules. Sums of counts stay BIGINT, as the counts were.
-- Grain: one row per code_departement with respondents.
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
