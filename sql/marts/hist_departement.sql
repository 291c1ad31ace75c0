-- Purpose: append this build's main figures to hist_departement (see
-- raw/007_history.sql), after mart_departement has read the previous ones;
-- only when they differ from the latest recorded build, so that reruns on
-- the same data leave the history, and the pages, unchanged.
-- Grain: one row per (build, département) appended.
INSERT INTO hist_departement
SELECT (SELECT coalesce(max(build_id), 0) + 1 FROM hist_departement),
       now(),
       code_departement, illectronism_people_est, illectronism_rate_est, fragility_score,
       fragility_rank, mediator_gap_central, share_premises_below_30mbps, venues,
       assessments_share_illectronism, true AS assessments_perturbed
FROM mart_departement
WHERE NOT EXISTS (
    SELECT 1
    FROM mart_departement AS c
    JOIN hist_departement AS h
      ON h.code_departement = c.code_departement
     AND h.build_id = (SELECT max(build_id) FROM hist_departement)
    WHERE h.illectronism_people_est IS NOT DISTINCT FROM c.illectronism_people_est
      AND h.illectronism_rate_est IS NOT DISTINCT FROM c.illectronism_rate_est
      AND h.fragility_score IS NOT DISTINCT FROM c.fragility_score
      AND h.fragility_rank IS NOT DISTINCT FROM c.fragility_rank
      AND h.mediator_gap_central IS NOT DISTINCT FROM c.mediator_gap_central
      AND h.share_premises_below_30mbps IS NOT DISTINCT FROM c.share_premises_below_30mbps
      AND h.venues IS NOT DISTINCT FROM c.venues
      AND h.assessments_share_illectronism IS NOT DISTINCT FROM c.assessments_share_illectronism
    HAVING count(*) = (SELECT count(*) FROM mart_departement)
);
