-- Joint suppression holds across levels: every published commune lies in a
-- published département, every published département in a published
-- France, and under each published total the cells withheld add up (in
-- true respondents) to 0 or to at least the secrecy threshold, so that no
-- combination of published totals isolates fewer respondents: France minus
-- the published départements, a département minus its published communes
-- (respondents with an unknown commune count as withheld). With EPCI, which
-- straddle départements, the withheld cells are cut into blocks: a
-- published EPCI's part in each département (its piece) and what the
-- published EPCI leave of each published département (its remainder);
-- every combination of published totals isolates a union of blocks, so each
-- block must hold 0 or at least the threshold, and no published EPCI may
-- have respondents in a withheld département.
WITH dep AS (
    SELECT a.code_departement, a.respondents, m.assessments_respondents IS NOT NULL AS shown
    FROM int_departement__assessments AS a
    JOIN mart_departement AS m USING (code_departement)
), com AS (
    SELECT a.code_departement, a.code_insee, a.respondents,
           coalesce(m.assessments_respondents IS NOT NULL, false) AS shown
    FROM int_commune__assessments AS a
    LEFT JOIN mart_commune AS m USING (code_insee)
), epci AS (
    SELECT c.*, e.code_epci, coalesce(m.assessments_respondents IS NOT NULL, false) AS epci_shown
    FROM com AS c
    LEFT JOIN ref_commune_epci AS e USING (code_insee)
    LEFT JOIN mart_epci AS m USING (code_epci)
), pieces AS (
    SELECT code_epci || ' in ' || code_departement AS parent,
           coalesce(sum(respondents) FILTER (WHERE NOT shown), 0) AS withheld
    FROM epci
    WHERE epci_shown
    GROUP BY code_epci, code_departement
), remainders AS (
    SELECT code_departement || ' outside published EPCI' AS parent,
           coalesce(sum(e.respondents) FILTER (WHERE NOT e.shown AND NOT e.epci_shown), 0) AS withheld
    FROM epci AS e
    JOIN dep AS d USING (code_departement)
    WHERE d.shown
    GROUP BY code_departement
), france AS (
    SELECT 'France' AS parent, coalesce(sum(respondents) FILTER (WHERE NOT shown), 0) AS withheld
    FROM dep
    WHERE (SELECT n FROM int_france__assessments_published) IS NOT NULL
), departements AS (
    SELECT code_departement AS parent,
           coalesce(sum(c.respondents) FILTER (WHERE NOT c.shown), 0) AS withheld
    FROM com AS c
    JOIN dep AS d USING (code_departement)
    WHERE d.shown
    GROUP BY code_departement
)
SELECT parent, withheld, 'withheld cells under a published total hold fewer than the threshold' AS problem
FROM (SELECT * FROM france UNION ALL SELECT * FROM departements
      UNION ALL SELECT * FROM pieces UNION ALL SELECT * FROM remainders)
WHERE withheld > 0 AND withheld < getvariable('secrecy_threshold')
UNION ALL
SELECT c.code_insee, c.respondents, 'commune published in a withheld département'
FROM com AS c
JOIN dep AS d USING (code_departement)
WHERE c.shown AND NOT d.shown
UNION ALL
SELECT d.code_departement, d.respondents, 'département published while France is withheld'
FROM dep AS d
WHERE d.shown AND (SELECT n FROM int_france__assessments_published) IS NULL
UNION ALL
SELECT DISTINCT e.code_epci, NULL, 'EPCI published with respondents in a withheld département'
FROM epci AS e
JOIN dep AS d USING (code_departement)
WHERE e.epci_shown AND NOT d.shown AND e.respondents > 0;
