-- Purpose: append this build's main figures to hist_departement (see
-- raw/007_history.sql), after mart_departement has read the previous ones.
INSERT INTO hist_departement
SELECT (SELECT coalesce(max(build_id), 0) + 1 FROM hist_departement),
       now(),
       code_departement, illectronism_people_est, illectronism_rate_est, fragility_score,
       fragility_rank, mediator_gap_central, share_premises_below_30mbps, venues,
       assessments_share_illectronism
FROM mart_departement;
