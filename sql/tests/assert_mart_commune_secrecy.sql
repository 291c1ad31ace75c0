-- No commune's published observed need rests on fewer respondents than the
-- secrecy threshold.
SELECT m.code_insee, a.respondents
FROM mart_commune AS m
JOIN int_commune__assessments AS a USING (code_insee)
WHERE a.respondents < getvariable('secrecy_threshold')
  AND (m.assessments_respondents IS NOT NULL
       OR m.assessments_share_illectronism IS NOT NULL
       OR m.assessments_share_illectronism_ci_low IS NOT NULL
       OR m.assessments_share_illectronism_ci_high IS NOT NULL
       OR NOT m.assessments_suppressed);
