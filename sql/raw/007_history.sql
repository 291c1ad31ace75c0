-- Purpose: the main figures of every build of the marts, so that each mart
-- row can show the previous run's value and rank, and analysts can follow a
-- département over time. Appended by marts/90_hist_departement.sql.
-- Grain: one row per (build_id, code_departement).
CREATE TABLE IF NOT EXISTS hist_departement (
    build_id                    BIGINT NOT NULL,
    built_at                    TIMESTAMPTZ NOT NULL,
    code_departement            VARCHAR NOT NULL,
    illectronism_people_est     DOUBLE,
    illectronism_rate_est       DOUBLE,
    fragility_score             DOUBLE,
    fragility_rank              INTEGER,
    mediator_gap_central        DOUBLE,
    share_premises_below_30mbps DOUBLE,
    venues                      BIGINT,
    assessments_share_illectronism DOUBLE
);
-- Added with the cell-key perturbation (issue 15): builds before it recorded
-- the exact share of respondents in illectronism, which could be set
-- against the perturbed shares of later builds; those exact shares are
-- erased (on every open: only rows without the flag), and every row
-- recorded since says it was perturbed.
ALTER TABLE hist_departement ADD COLUMN IF NOT EXISTS assessments_perturbed BOOLEAN;
UPDATE hist_departement SET assessments_share_illectronism = NULL
WHERE assessments_perturbed IS NULL AND assessments_share_illectronism IS NOT NULL;
