-- The long observed-need mart agrees with mart_departement for
-- illectronism, its shares lie in [0, 1] and within their intervals, and
-- its three classes add up to 1 within the perturbation: each of the three
-- counts and the respondents carry their own noise of at most noise_max,
-- so |Σ shares − 1| ≤ 4 × noise_max / n.
SELECT o.code_departement, o.measure, 'differs from mart_departement' AS problem
FROM mart_departement_observed_need AS o
JOIN mart_departement AS d USING (code_departement)
WHERE o.measure = 'illectronisme'
  AND (o.share IS DISTINCT FROM d.assessments_share_illectronism
       OR o.share_std IS DISTINCT FROM d.assessments_share_illectronism_std
       OR o.respondents IS DISTINCT FROM d.assessments_respondents)
UNION ALL
SELECT code_departement, 'classes', 'do not add up to 1 within the noise'
FROM mart_departement_observed_need
WHERE measure IN ('illectronisme', 'capacites_faibles', 'autonome') AND share IS NOT NULL
GROUP BY code_departement
HAVING abs(sum(share) - 1) > 4 * getvariable('noise_max') / any_value(respondents) + 0.0003
UNION ALL
SELECT code_departement, measure, 'share outside [0, 1] or outside its interval'
FROM mart_departement_observed_need
WHERE share NOT BETWEEN 0 AND 1 OR share_std NOT BETWEEN 0 AND 1
   OR NOT (share_ci_low <= share AND share <= share_ci_high)
   OR NOT (share_std_ci_low <= share_std AND share_std <= share_std_ci_high)
   OR (suppressed AND (share IS NOT NULL OR share_std IS NOT NULL OR respondents IS NOT NULL));
