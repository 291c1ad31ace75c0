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
