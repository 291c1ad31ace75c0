-- No published share rests on fewer respondents than the secrecy threshold.
SELECT code_departement, assessments_respondents
FROM mart_departement
WHERE assessments_share_illectronism IS NOT NULL
  AND assessments_respondents < getvariable('secrecy_threshold');
