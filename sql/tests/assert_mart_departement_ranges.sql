-- Shares lie in [0, 1]; counts and rates are not negative; population is
-- positive; ranks, scores and the mediator plan are ordered as documented.
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
   OR share_low_diploma_15_plus NOT BETWEEN 0 AND 1
   OR share_low_income_households NOT BETWEEN 0 AND 1
   OR NOT (assessments_share_illectronism_ci_low <= assessments_share_illectronism
           AND assessments_share_illectronism <= assessments_share_illectronism_ci_high)
   OR assessments_share_illectronism_ci_low < 0 OR assessments_share_illectronism_ci_high > 1
   OR illectronism_rate_est NOT BETWEEN 0 AND 1
   OR illectronism_people_est > population_15_plus OR population_15_plus > population
   OR NOT (illectronism_people_low <= illectronism_people_est AND illectronism_people_est <= illectronism_people_high)
   OR NOT (illectronism_rate_low <= illectronism_rate_est AND illectronism_rate_est <= illectronism_rate_high)
   OR age_data_coverage NOT BETWEEN 0 AND 1
   OR diploma_data_coverage NOT BETWEEN 0 AND 1 OR income_data_coverage NOT BETWEEN 0 AND 1
   OR assessments_share_illectronism_std NOT BETWEEN 0 AND 1
   OR NOT (assessments_share_illectronism_std_ci_low <= assessments_share_illectronism_std
           AND assessments_share_illectronism_std <= assessments_share_illectronism_std_ci_high)
   OR fragility_score NOT BETWEEN 1 AND 10
   OR fragility_rank NOT BETWEEN 1 AND 101
   OR NOT (fragility_rank_min <= fragility_rank AND fragility_rank <= fragility_rank_max)
   OR NOT (mediator_fte_needed_low <= mediator_fte_needed_central
           AND mediator_fte_needed_central <= mediator_fte_needed_high)
   OR NOT (mediator_workforce_low <= mediator_workforce_central AND mediator_workforce_central <= mediator_workforce_high)
   OR mediator_workforce_low < mediator_posts
   OR abs(mediator_gap_central - (mediator_fte_needed_central - mediator_workforce_central)) > 0.11
   OR NOT (mediator_gap_low <= mediator_gap_central AND mediator_gap_central <= mediator_gap_high)
   -- the three classes partition the respondents, up to the perturbation
   -- (four counts, each within noise_max) and rounding
   OR abs(assessments_share_illectronism + assessments_share_capacites_faibles + assessments_share_autonome - 1)
      > 4 * getvariable('noise_max') / assessments_respondents + 0.0003;
