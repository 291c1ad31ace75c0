-- No EPCI's published observed need rests on fewer respondents than the
-- secrecy threshold; an EPCI without respondents is withheld exactly like
-- one with a few, and a withheld one publishes nothing of it. (Whether its
-- total isolates withheld cells: assert_secrecy_not_recoverable_from_totals.)
WITH respondents AS (
    SELECT e.code_epci, sum(a.respondents) AS respondents
    FROM int_commune__assessments AS a
    JOIN ref_commune_epci AS e USING (code_insee)
    GROUP BY e.code_epci
)
SELECT m.code_epci, coalesce(r.respondents, 0) AS respondents
FROM mart_epci AS m
LEFT JOIN respondents AS r USING (code_epci)
WHERE (coalesce(r.respondents, 0) < getvariable('secrecy_threshold') OR m.assessments_suppressed)
  AND (m.assessments_respondents IS NOT NULL
       OR m.assessments_share_illectronism IS NOT NULL
       OR m.assessments_share_illectronism_ci_low IS NOT NULL
       OR m.assessments_share_illectronism_ci_high IS NOT NULL
       OR NOT m.assessments_suppressed);
