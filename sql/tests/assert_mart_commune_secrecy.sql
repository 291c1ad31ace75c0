-- No commune's published observed need rests on fewer respondents than the
-- secrecy threshold, or lies in a withheld département; a commune without
-- respondents is withheld exactly like one with a few.
SELECT r.code_insee, coalesce(a.respondents, 0) AS respondents
FROM ref_communes AS r
JOIN mart_commune AS m USING (code_insee)
LEFT JOIN int_commune__assessments AS a USING (code_insee)
LEFT JOIN mart_departement AS d ON d.code_departement = r.code_departement
WHERE (coalesce(a.respondents, 0) < getvariable('secrecy_threshold') OR d.assessments_suppressed)
  AND (m.assessments_respondents IS NOT NULL
       OR m.assessments_share_illectronism IS NOT NULL
       OR m.assessments_share_illectronism_ci_low IS NOT NULL
       OR m.assessments_share_illectronism_ci_high IS NOT NULL
       OR NOT m.assessments_suppressed);
