-- Purpose: the smallest cells of the self-assessments: per département,
-- commune (NULL when the respondent's commune is unknown) and age band, the
-- respondents in all and with each measure (the three classes; no basic
-- skill in each DigComp area), with the sum of their keys of the cell-key
-- method modulo 2^14 (disclosure.KeyRange). Every published count is a sum
-- of these cells, and so is its cell key: keys add up modulo 2^14 over
-- disjoint cells. One pass over the respondents instead of one per level.
-- Grain: one row per (code_departement, code_insee, age_band, measure) with
-- respondents; measure = 'respondents' for the count of all of them.
-- A table: every level of int_assessments__perturbed and the secrecy views
-- read it.
CREATE OR REPLACE TABLE int_assessments__cells AS
WITH wide AS (
    SELECT CAST(code_departement AS VARCHAR) AS code_departement, code_insee,
           CAST(age_band AS VARCHAR) AS age_band,
           count(*) AS respondents_x,
           sum(key_slice(record_key, 0)) AS respondents_k,
           count(*) FILTER (WHERE skills_class = 'illectronisme') AS illectronisme_x,
           coalesce(sum(key_slice(record_key, 1)) FILTER (WHERE skills_class = 'illectronisme'), 0) AS illectronisme_k,
           count(*) FILTER (WHERE skills_class = 'capacites_faibles') AS capacites_faibles_x,
           coalesce(sum(key_slice(record_key, 2)) FILTER (WHERE skills_class = 'capacites_faibles'), 0) AS capacites_faibles_k,
           count(*) FILTER (WHERE skills_class = 'autonome') AS autonome_x,
           coalesce(sum(key_slice(record_key, 3)) FILTER (WHERE skills_class = 'autonome'), 0) AS autonome_k,
           count(*) FILTER (WHERE level_information = 0) AS no_basic_information_x,
           coalesce(sum(key_slice(record_key, 4)) FILTER (WHERE level_information = 0), 0) AS no_basic_information_k,
           count(*) FILTER (WHERE level_communication = 0) AS no_basic_communication_x,
           coalesce(sum(key_slice(record_key, 5)) FILTER (WHERE level_communication = 0), 0) AS no_basic_communication_k,
           count(*) FILTER (WHERE level_content_creation = 0) AS no_basic_content_creation_x,
           coalesce(sum(key_slice(record_key, 6)) FILTER (WHERE level_content_creation = 0), 0) AS no_basic_content_creation_k,
           count(*) FILTER (WHERE level_safety = 0) AS no_basic_safety_x,
           coalesce(sum(key_slice(record_key, 7)) FILTER (WHERE level_safety = 0), 0) AS no_basic_safety_k,
           count(*) FILTER (WHERE level_problem_solving = 0) AS no_basic_problem_solving_x,
           coalesce(sum(key_slice(record_key, 8)) FILTER (WHERE level_problem_solving = 0), 0) AS no_basic_problem_solving_k
    FROM int_assessments__latest
    GROUP BY ALL
)
SELECT code_departement, code_insee, age_band, measure,
       CAST(x AS BIGINT) AS x,
       CAST(k % 16384 AS INTEGER) AS cell_key
FROM (
    UNPIVOT wide
    ON (respondents_x, respondents_k) AS respondents,
       (illectronisme_x, illectronisme_k) AS illectronisme,
       (capacites_faibles_x, capacites_faibles_k) AS capacites_faibles,
       (autonome_x, autonome_k) AS autonome,
       (no_basic_information_x, no_basic_information_k) AS no_basic_information,
       (no_basic_communication_x, no_basic_communication_k) AS no_basic_communication,
       (no_basic_content_creation_x, no_basic_content_creation_k) AS no_basic_content_creation,
       (no_basic_safety_x, no_basic_safety_k) AS no_basic_safety,
       (no_basic_problem_solving_x, no_basic_problem_solving_k) AS no_basic_problem_solving
    INTO NAME measure VALUE x, k
    -- (no NULLs: a class nobody has counts 0, with key 0)
);
