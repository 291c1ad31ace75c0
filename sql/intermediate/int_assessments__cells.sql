-- Purpose: the smallest cells of the self-assessments: per département,
-- commune (NULL when the respondent's commune is unknown) and age band, the
-- respondents in all and with each measure (the three classes; no basic
-- skill in each DigComp area), with the sum of their keys of the cell-key
-- method modulo 2^14 (disclosure.KeyRange). Every published count is a sum
-- of these cells, and so is its cell key: keys add up modulo 2^14 over
-- disjoint cells. One pass over the respondents instead of one per level.
-- Grain: one row per (code_departement, code_insee, age_band, measure) with
-- respondents; measure = 'respondents' for the count of all of them.
-- Record keys: the respondent's keys of the cell-key method (disclosure
-- package) are the MD5 of the source and the pseudonym, 128 bits cut into
-- one 14-bit key per published measure (key_bits, key_top). The pseudonym is an
-- HMAC of the respondent id under the operator's secret key and never
-- leaves the working database, so nobody outside can compute a key; the
-- same person has the same keys in every run, whatever they answer.
-- A table: every level of int_assessments__perturbed and the secrecy views
-- read it.
CREATE OR REPLACE TABLE int_assessments__cells AS
WITH keyed AS (
    SELECT *, record_key_lo(k) AS lo, record_key_hi(k) AS hi
    FROM (SELECT a.*, md5_number(concat(p.prefix, CAST(a.respondent_key AS VARCHAR))) AS k
          FROM int_assessments__latest AS a
          -- '<source>:' once per file, not once per row (14 % of the keys'
          -- time at 10 M rows)
          JOIN (SELECT file_id, coalesce(source, '') || ':' AS prefix FROM ingest_files) AS p USING (file_id))
), wide AS (
    -- grouped on the ENUMs as stored, cast below on the cells' rows, not
    -- on every respondent's: 3 % of the statement (2.58 → 2.49 s at 10 M,
    -- 5 alternating rounds, the same table)
    SELECT code_departement, code_insee, age_band,
           count(*) AS respondents_x,
           sum(key_bits(lo, 0)) AS respondents_k,
           count(*) FILTER (WHERE skills_class = 'illectronisme') AS illectronisme_x,
           coalesce(sum(key_bits(lo, 14)) FILTER (WHERE skills_class = 'illectronisme'), 0) AS illectronisme_k,
           count(*) FILTER (WHERE skills_class = 'capacites_faibles') AS capacites_faibles_x,
           coalesce(sum(key_bits(lo, 28)) FILTER (WHERE skills_class = 'capacites_faibles'), 0) AS capacites_faibles_k,
           count(*) FILTER (WHERE skills_class = 'autonome') AS autonome_x,
           coalesce(sum(key_bits(lo, 42)) FILTER (WHERE skills_class = 'autonome'), 0) AS autonome_k,
           count(*) FILTER (WHERE level_information = 0) AS no_basic_information_x,
           coalesce(sum(key_bits(hi, 0)) FILTER (WHERE level_information = 0), 0) AS no_basic_information_k,
           count(*) FILTER (WHERE level_communication = 0) AS no_basic_communication_x,
           coalesce(sum(key_bits(hi, 14)) FILTER (WHERE level_communication = 0), 0) AS no_basic_communication_k,
           count(*) FILTER (WHERE level_content_creation = 0) AS no_basic_content_creation_x,
           coalesce(sum(key_bits(hi, 28)) FILTER (WHERE level_content_creation = 0), 0) AS no_basic_content_creation_k,
           count(*) FILTER (WHERE level_safety = 0) AS no_basic_safety_x,
           coalesce(sum(key_bits(hi, 42)) FILTER (WHERE level_safety = 0), 0) AS no_basic_safety_k,
           count(*) FILTER (WHERE level_problem_solving = 0) AS no_basic_problem_solving_x,
           coalesce(sum(key_top(lo, hi)) FILTER (WHERE level_problem_solving = 0), 0) AS no_basic_problem_solving_k
    FROM keyed
    GROUP BY ALL
)
SELECT CAST(code_departement AS VARCHAR) AS code_departement, code_insee,
       CAST(age_band AS VARCHAR) AS age_band, measure,
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
