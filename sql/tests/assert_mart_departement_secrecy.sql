-- No published share, nor its interval, rests on fewer respondents than the
-- secrecy threshold.
SELECT code_departement, assessments_respondents
FROM mart_departement
WHERE (assessments_share_illectronism IS NOT NULL
       OR assessments_share_illectronism_ci_low IS NOT NULL
       OR assessments_share_illectronism_ci_high IS NOT NULL)
  AND assessments_respondents < getvariable('secrecy_threshold');
