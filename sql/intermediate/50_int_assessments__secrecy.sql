-- Purpose: self-assessment counts per current commune (true counts, for the
-- secrecy rules); respondents whose commune is unknown (a postal code shared
-- by several communes) form one cell per département with code_insee NULL.
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments AS
SELECT code_departement, code_insee,
       sum(x) FILTER (WHERE measure = 'respondents') AS respondents,
       sum(x) FILTER (WHERE measure = 'illectronisme') AS respondents_illectronism
FROM int_assessments__cells
GROUP BY ALL;

-- Purpose: statistical secrecy of France's observed need: withheld when all
-- respondents together are fewer than the threshold.
-- Grain: one row.
CREATE OR REPLACE VIEW int_france__assessments_secrecy AS
SELECT coalesce(sum(respondents), 0) AS respondents,
       coalesce(sum(respondents), 0) < getvariable('secrecy_threshold') AS suppressed
FROM int_departement__assessments;

-- Purpose: statistical secrecy of the départements' observed need. Primary:
-- a département with fewer respondents than the threshold (run variable
-- secrecy_threshold) is withheld; one without any is shown exactly like one
-- with a few (both NULL: no published difference between "none" and
-- "fewer than the threshold"). Secondary: France's total is published, so
-- the withheld départements must together hold at least the threshold of
-- respondents, or their sum (France minus the published départements) would
-- be a figure on fewer people. The published départements with the fewest
-- respondents are withheld too until that holds:
--   hidden = Σ respondents of primary cells; if 0 < hidden < threshold, the
--   published cells are taken in increasing size and withheld while the
--   respondents withheld before them are fewer than the threshold.
-- When France itself is withheld, every département is.
-- Grain: one row per département with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_secrecy AS
WITH cells AS (
    SELECT code_departement, respondents,
           respondents < getvariable('secrecy_threshold')
             OR (SELECT suppressed FROM int_france__assessments_secrecy) AS primary_suppressed
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

-- Purpose: statistical secrecy of the communes' observed need, protected
-- jointly with the départements': a commune of a withheld département is
-- withheld whatever its size (else France − published départements −
-- published communes of the withheld ones would isolate the small ones);
-- inside a published département, the same rule as above (its total is
-- published): the cell of respondents with an unknown commune is never
-- published, so it counts as withheld from the start. With every published
-- commune inside a published département and every published département
-- inside France, the cells withheld under any published total add up to 0
-- or to at least the threshold, at every level: no combination of
-- published totals isolates fewer respondents (and the perturbation of
-- int_assessments__perturbed blurs every difference anyway).
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments_secrecy AS
WITH cells AS (
    SELECT c.code_departement, c.code_insee, c.respondents,
           c.code_insee IS NULL OR c.respondents < getvariable('secrecy_threshold')
             OR d.primary_suppressed OR d.secondary_suppressed AS primary_suppressed
    FROM int_commune__assessments AS c
    JOIN int_departement__assessments_secrecy AS d USING (code_departement)
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

-- Purpose: statistical secrecy of the EPCI's observed need, protected
-- jointly with the communes' and départements' (the rules above). EPCI are
-- not nested in départements (89 straddle two or more), so the rule works on
-- blocks: the respondents of the withheld cells (communes, and the cell of
-- unknown commune) fall into one block per (published EPCI, département),
-- its piece, and one per published département, its remainder: what the
-- published EPCI of the département do not cover. Every combination of
-- published totals (France, départements, EPCI, communes) that isolates
-- withheld respondents isolates a union of blocks, so it holds 0 or at least
-- the threshold when each block does. An EPCI is published when:
--   - it has at least the threshold of respondents (primary);
--   - none of them lies in a withheld département (the withheld
--     départements' block, France minus the published ones, stays whole);
--   - each of its pieces holds 0 or at least the threshold (else the EPCI
--     minus its published communes, or its département, isolates them);
--   - and it is not withheld to complete a remainder (secondary): in a
--     published département whose remainder is left with 1 to threshold−1
--     respondents, the EPCI with the smallest positive pieces are withheld,
--     smallest first, while the remainder before them is below the
--     threshold. The commune rule leaves every published département's
--     withheld cells at 0 or at least the threshold, so this always ends;
--     an EPCI withheld for one département only adds whole pieces (0 or at
--     least the threshold) to the remainders of the others.
-- Grain: one row per EPCI with respondents.
CREATE OR REPLACE VIEW int_epci__assessments_secrecy AS
WITH cells AS (
    SELECT s.code_departement, e.code_epci, s.respondents,
           s.primary_suppressed OR s.secondary_suppressed AS withheld,
           d.primary_suppressed OR d.secondary_suppressed AS departement_withheld
    FROM int_commune__assessments_secrecy AS s
    JOIN int_departement__assessments_secrecy AS d USING (code_departement)
    LEFT JOIN ref_commune_epci AS e USING (code_insee)
), pieces AS (
    SELECT code_epci, code_departement,
           sum(respondents) AS respondents,
           coalesce(sum(respondents) FILTER (WHERE withheld), 0) AS withheld,
           bool_or(departement_withheld) AS departement_withheld
    FROM cells
    WHERE code_epci IS NOT NULL
    GROUP BY code_epci, code_departement
), epci AS (
    SELECT code_epci, sum(respondents) AS respondents,
           sum(respondents) < getvariable('secrecy_threshold') AS primary_suppressed,
           bool_or(departement_withheld) AS in_withheld_departement,
           bool_or(withheld > 0 AND withheld < getvariable('secrecy_threshold')) AS small_piece
    FROM pieces
    GROUP BY code_epci
), candidate_pieces AS (
    SELECT p.code_epci, p.code_departement, p.withheld
    FROM pieces AS p
    JOIN epci AS e USING (code_epci)
    WHERE NOT (e.primary_suppressed OR e.in_withheld_departement OR e.small_piece)
), remainders AS (
    -- withheld respondents of each published département outside the
    -- candidate EPCI: unknown commune, communes in no EPCI, other EPCI
    SELECT w.code_departement, w.withheld - coalesce(cp.withheld, 0) AS remainder
    FROM (SELECT code_departement, coalesce(sum(respondents) FILTER (WHERE withheld), 0) AS withheld
          FROM cells
          WHERE NOT departement_withheld
          GROUP BY code_departement) AS w
    LEFT JOIN (SELECT code_departement, sum(withheld) AS withheld
               FROM candidate_pieces
               GROUP BY code_departement) AS cp USING (code_departement)
), ordered AS (
    SELECT p.code_epci, p.code_departement, p.withheld, r.remainder,
           r.remainder + coalesce(sum(p.withheld) OVER (PARTITION BY p.code_departement
                                                        ORDER BY p.withheld, p.code_epci
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS hidden_before
    FROM candidate_pieces AS p
    JOIN remainders AS r USING (code_departement)
    WHERE p.withheld > 0
), secondary AS (
    SELECT DISTINCT code_epci
    FROM ordered
    WHERE remainder > 0 AND hidden_before < getvariable('secrecy_threshold')
)
SELECT e.code_epci, e.respondents,
       e.primary_suppressed OR e.in_withheld_departement OR e.small_piece AS primary_suppressed,
       NOT (e.primary_suppressed OR e.in_withheld_departement OR e.small_piece)
           AND e.code_epci IN (SELECT code_epci FROM secondary) AS secondary_suppressed
FROM epci AS e;

-- Purpose: each observed-need measure per département and age band, as
-- published (perturbed) counts: n respondents of whom x have the measure.
-- A band of fewer respondents than the threshold has n NULL.
-- Grain: one row per (code_departement, age_band, measure) with respondents.
CREATE OR REPLACE VIEW int_assessments__measures AS
SELECT m.code_departement, m.age_band, m.measure,
       n.x AS true_n, n.published AS n, m.published AS x
FROM int_assessments__perturbed AS m
JOIN int_assessments__perturbed AS n
  ON n.level = 'departement_age' AND n.code = m.code AND n.age_band = m.age_band AND n.measure = 'respondents'
WHERE m.level = 'departement_age' AND m.measure <> 'respondents';

-- Purpose: each observed-need share standardised to the age structure of
-- the département's population aged 15+ (direct standardisation), from the
-- published counts of its five age bands:
--   share_std = Σ_b w_b × p_b,  p_b = min(x_b, n_b) / n_b (published
--   counts), w_b = the département's share of people aged 15+ in band b
--   (int_commune__population_by_age),
--   variance  = Σ_b w_b² × (p_b (1 − p_b) / n_b + V (1 + p_b²) / n_b²):
--   sampling (normal approximation) and the perturbation's noise (V, run
--   variable noise_variance).
-- It corrects the age mix of respondents, not their self-selection.
-- smallest_band is the smallest true band, for the secrecy rule.
-- Grain: one row per (département, measure) with respondents.
CREATE OR REPLACE VIEW int_departement__assessments_standardised AS
WITH bands AS (
    SELECT code_departement, age_band, measure, true_n, n, perturbed_share(x, n) AS p
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
       count(b.true_n) AS bands_with_respondents,
       coalesce(min(b.true_n), 0) AS smallest_band,
       sum(w.w * b.p) AS share_std,
       sum(w.w * w.w * (b.p * (1 - b.p) / b.n + getvariable('noise_variance') * (1 + b.p * b.p) / (b.n * b.n))) AS variance
FROM measures AS m
JOIN weights AS w USING (code_departement)
LEFT JOIN bands AS b USING (code_departement, measure, age_band)
GROUP BY m.code_departement, m.measure;

-- Purpose: what may be published of each département's observed need: the
-- perturbed counts (int_assessments__perturbed) of a département that
-- secrecy does not withhold, else NULL; 'primary' for a département with
-- fewer respondents than the threshold, none included, 'secondary' for one
-- withheld to protect them.
-- Grain: one row per département of the reference.
CREATE OR REPLACE VIEW int_departement__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_departement, measure, published
           FROM int_assessments__perturbed WHERE level = 'departement')
    ON measure IN ('respondents' AS n, 'illectronisme', 'capacites_faibles', 'autonome',
                   'no_basic_information', 'no_basic_communication', 'no_basic_content_creation',
                   'no_basic_safety', 'no_basic_problem_solving')
    USING any_value(published)
), status AS (
    SELECT d.code_departement,
           CASE WHEN s.secondary_suppressed THEN 'secondary'
                WHEN s.primary_suppressed OR s.code_departement IS NULL THEN 'primary' END AS suppression
    FROM ref_departements AS d
    LEFT JOIN int_departement__assessments_secrecy AS s USING (code_departement)
)
SELECT s.code_departement, s.suppression,
       c.* EXCLUDE (code_departement)
FROM status AS s
LEFT JOIN counts AS c ON c.code_departement = s.code_departement AND s.suppression IS NULL;

-- Purpose: what may be published of each commune's observed need: the
-- perturbed counts of a commune that secrecy does not withhold, else NULL
-- (a commune without respondents looks exactly like one with a few).
-- Grain: one row per current commune of the reference.
CREATE OR REPLACE VIEW int_commune__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_insee, measure, published
           FROM int_assessments__perturbed WHERE level = 'commune')
    ON measure IN ('respondents' AS n, 'illectronisme')
    USING any_value(published)
), shown AS (
    SELECT code_insee
    FROM int_commune__assessments_secrecy
    WHERE code_insee IS NOT NULL AND NOT (primary_suppressed OR secondary_suppressed)
)
SELECT r.code_insee, c.n, c.illectronisme, c.code_insee IS NULL AS suppressed
FROM ref_communes AS r
LEFT JOIN (SELECT counts.* FROM counts JOIN shown USING (code_insee)) AS c USING (code_insee);

-- Purpose: what may be published of France's observed need: its perturbed
-- counts of respondents and respondents in illectronism, NULL when France
-- itself is withheld.
-- Grain: one row.
CREATE OR REPLACE VIEW int_france__assessments_published AS
SELECT CASE WHEN NOT s.suppressed THEN p.n END AS n,
       CASE WHEN NOT s.suppressed THEN p.illectronisme END AS illectronisme
FROM int_france__assessments_secrecy AS s
CROSS JOIN (SELECT any_value(published) FILTER (WHERE measure = 'respondents') AS n,
                   any_value(published) FILTER (WHERE measure = 'illectronisme') AS illectronisme
            FROM int_assessments__perturbed
            WHERE level = 'france') AS p;

-- Purpose: what may be published of each EPCI's observed need: the
-- perturbed counts of an EPCI that secrecy does not withhold, else NULL (an
-- EPCI without respondents looks exactly like one with a few).
-- Grain: one row per EPCI of the reference.
CREATE OR REPLACE VIEW int_epci__assessments_published AS
WITH counts AS (
    PIVOT (SELECT code AS code_epci, measure, published
           FROM int_assessments__perturbed WHERE level = 'epci')
    ON measure IN ('respondents' AS n, 'illectronisme')
    USING any_value(published)
), shown AS (
    SELECT code_epci
    FROM int_epci__assessments_secrecy
    WHERE NOT (primary_suppressed OR secondary_suppressed)
)
SELECT r.code_epci, c.n, c.illectronisme, c.code_epci IS NULL AS suppressed
FROM ref_epci AS r
LEFT JOIN (SELECT counts.* FROM counts JOIN shown USING (code_epci)) AS c USING (code_epci);
