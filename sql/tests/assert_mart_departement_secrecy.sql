-- No published observed-need figure, nor its interval or count, rests on
-- fewer respondents than the secrecy threshold (counted from the views, not
-- from the mart's own, possibly withheld, count); a département without
-- respondents is withheld exactly like one with a few.
SELECT m.code_departement, coalesce(a.respondents, 0) AS respondents
FROM mart_departement AS m
LEFT JOIN int_departement__assessments AS a USING (code_departement)
WHERE coalesce(a.respondents, 0) < getvariable('secrecy_threshold')
  AND (m.assessments_respondents IS NOT NULL
       OR m.assessments_share_illectronism IS NOT NULL
       OR m.assessments_share_illectronism_ci_low IS NOT NULL
       OR m.assessments_share_illectronism_ci_high IS NOT NULL
       OR m.assessments_share_illectronism_std IS NOT NULL
       OR m.assessments_share_capacites_faibles IS NOT NULL
       OR m.assessments_share_autonome IS NOT NULL
       OR m.assessments_share_no_basic_information IS NOT NULL
       OR m.assessments_share_no_basic_communication IS NOT NULL
       OR m.assessments_share_no_basic_content_creation IS NOT NULL
       OR m.assessments_share_no_basic_safety IS NOT NULL
       OR m.assessments_share_no_basic_problem_solving IS NOT NULL
       OR NOT m.assessments_suppressed);
