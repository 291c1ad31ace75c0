-- No published share, nor its interval, rests on fewer respondents than the
-- secrecy threshold.
SELECT code_departement, assessments_respondents
FROM mart_departement
WHERE (assessments_share_illectronism IS NOT NULL
       OR assessments_share_illectronism_ci_low IS NOT NULL
       OR assessments_share_illectronism_ci_high IS NOT NULL
       OR assessments_share_capacites_faibles IS NOT NULL
       OR assessments_share_autonome IS NOT NULL
       OR assessments_share_no_basic_information IS NOT NULL
       OR assessments_share_no_basic_communication IS NOT NULL
       OR assessments_share_no_basic_content_creation IS NOT NULL
       OR assessments_share_no_basic_safety IS NOT NULL
       OR assessments_share_no_basic_problem_solving IS NOT NULL)
  AND assessments_respondents < getvariable('secrecy_threshold');
