-- Shares lie in [0, 1]; counts and rates are not negative; population is positive.
SELECT code_departement
FROM mart_departement
WHERE population <= 0
   OR venues < 0 OR venues_per_10k < 0 OR premises < 0
   OR mediator_posts < 0 OR assessments_respondents < 0
   OR share_premises_below_30mbps NOT BETWEEN 0 AND 1
   OR share_premises_below_8mbps NOT BETWEEN 0 AND 1
   OR share_premises_below_8mbps > share_premises_below_30mbps
   OR assessments_share_illectronism NOT BETWEEN 0 AND 1
   OR share_population_beyond_10km NOT BETWEEN 0 AND 1
   OR population_beyond_20km > population_beyond_10km
   OR share_aged_65_plus NOT BETWEEN 0 AND 1
   OR share_no_diploma_15_plus NOT BETWEEN 0 AND 1
   OR poverty_rate NOT BETWEEN 0 AND 1
   OR NOT (assessments_share_illectronism_ci_low <= assessments_share_illectronism
           AND assessments_share_illectronism <= assessments_share_illectronism_ci_high)
   OR assessments_share_illectronism_ci_low < 0 OR assessments_share_illectronism_ci_high > 1
   -- the three classes partition the respondents (up to rounding)
   OR abs(assessments_share_illectronism + assessments_share_capacites_faibles + assessments_share_autonome - 1) > 0.0003;
