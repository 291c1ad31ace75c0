-- Purpose: self-assessment counts per current commune; respondents whose
-- commune is unknown (a postal code shared by several communes) form one cell
-- per département with code_insee NULL.
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments AS
SELECT CAST(code_departement AS VARCHAR) AS code_departement, code_insee,
       count(*) AS respondents,
       count(*) FILTER (WHERE skills_class = 'illectronisme') AS respondents_illectronism,
       count(*) FILTER (WHERE skills_class = 'capacites_faibles') AS respondents_capacites_faibles,
       count(*) FILTER (WHERE skills_class = 'autonome') AS respondents_autonome
FROM int_assessments__latest
GROUP BY ALL;

-- Purpose: statistical secrecy of the départements' observed need. Primary:
-- a département with respondents, but fewer than the threshold (run variable
-- secrecy_threshold), is withheld. Secondary: France's total is known, so
-- the withheld départements must together hold at least the threshold of
-- respondents, or their sum (France minus the published départements) would
-- be a figure on fewer people. The published départements with the fewest
-- respondents are withheld too until that holds:
--   hidden = Σ respondents of primary cells; if 0 < hidden < threshold, the
--   published cells are taken in increasing size and withheld while the
--   respondents withheld before them are fewer than the threshold.
-- Grain: one row per département with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_secrecy AS
WITH cells AS (
    SELECT code_departement, respondents,
           respondents < getvariable('secrecy_threshold') AS primary_suppressed
    FROM int_departement__assessments
    WHERE respondents > 0
), ordered AS (
    SELECT *,
           sum(CASE WHEN primary_suppressed THEN respondents ELSE 0 END) OVER () AS primary_hidden,
           coalesce(sum(respondents) OVER (ORDER BY primary_suppressed DESC, respondents, code_departement
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS hidden_before
    FROM cells
)
SELECT code_departement, respondents, primary_suppressed,
       NOT primary_suppressed AND primary_hidden > 0
           AND hidden_before < getvariable('secrecy_threshold') AS secondary_suppressed
FROM ordered;

-- Purpose: statistical secrecy of the communes' observed need, by the same
-- rule inside each département (whose total is published): the cell of
-- respondents with an unknown commune is never published, so it counts as
-- withheld from the start.
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments_secrecy AS
WITH cells AS (
    SELECT code_departement, code_insee, respondents,
           code_insee IS NULL OR respondents < getvariable('secrecy_threshold') AS primary_suppressed
    FROM int_commune__assessments
), ordered AS (
    SELECT *,
           sum(CASE WHEN primary_suppressed THEN respondents ELSE 0 END)
               OVER (PARTITION BY code_departement) AS primary_hidden,
           coalesce(sum(respondents) OVER (PARTITION BY code_departement
                                           ORDER BY primary_suppressed DESC, respondents, code_insee NULLS FIRST
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS hidden_before
    FROM cells
)
SELECT code_departement, code_insee, respondents, primary_suppressed,
       NOT primary_suppressed AND primary_hidden > 0
           AND hidden_before < getvariable('secrecy_threshold') AS secondary_suppressed
FROM ordered;

-- Purpose: each observed-need measure per département and age band: the
-- three classes and, per DigComp area, "no basic skill" (level 0), as n
-- respondents of whom x have it. Unpivots int_assessments__counts, so
-- that 10 M respondents become 505 rows × 8 measures, not 80 M rows.
-- Grain: one row per (code_departement, age_band, measure) with respondents.
CREATE OR REPLACE VIEW int_assessments__measures AS
SELECT code_departement, age_band, measure, n, x
FROM (
    UNPIVOT int_assessments__counts
    ON illectronisme, capacites_faibles, autonome, no_basic_information, no_basic_communication,
       no_basic_content_creation, no_basic_safety, no_basic_problem_solving
    INTO NAME measure VALUE x
);

-- Purpose: each observed-need share, raw and standardised to the age
-- structure of the département's population aged 15+ (direct
-- standardisation): respondents are grouped in their five age bands, and
--   share_std = Σ_b w_b × x_b / n_b,  w_b = the département's share of
--   people aged 15+ in band b (int_commune__population_by_age),
--   variance  = Σ_b w_b² × p_b × (1 − p_b) / n_b   (normal approximation).
-- It corrects the age mix of respondents, not their self-selection.
-- Grain: one row per (département, measure) with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_standardised AS
WITH bands AS (
    SELECT code_departement, age_band, measure, n, x
    FROM int_assessments__measures
), weights AS (
    SELECT code_departement, assessment_band AS age_band,
           sum(people) / sum(sum(people)) OVER (PARTITION BY code_departement) AS w
    FROM int_commune__population_by_age
    GROUP BY code_departement, assessment_band
), measures AS (
    SELECT DISTINCT code_departement, measure FROM bands
)
SELECT m.code_departement, m.measure,
       sum(b.n) AS respondents,
       sum(b.x) AS respondents_with,
       count(b.n) AS bands_with_respondents,
       coalesce(min(b.n), 0) AS smallest_band,
       sum(w.w * b.x / b.n) AS share_std,
       sum(w.w * w.w * (b.x / b.n) * (1 - b.x / b.n) / b.n) AS variance
FROM measures AS m
JOIN weights AS w USING (code_departement)
LEFT JOIN bands AS b USING (code_departement, measure, age_band)
GROUP BY m.code_departement, m.measure;
