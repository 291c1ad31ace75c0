-- Purpose: fixed broadband eligibility per current commune and period, as
-- cumulative counts of premises (at least 8 Mbit/s, at least 30 Mbit/s).
-- Grain: one row per (code_insee, period). Old commune codes were mapped to
-- their 2026 commune at ingest, so merged communes are summed here. When a
-- period is delivered again, the latest file wins for each input commune.
-- The 2019 beta file has exclusive speed classes (they add up to nbr); current
-- ARCEP files are cumulative (elig_thd100 is included in elig_thd30).
CREATE OR REPLACE VIEW stg_coverage__communes AS
WITH ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY code_insee_input, period
                              ORDER BY file_id DESC, line DESC) AS rn
    FROM raw_coverage
), normalised AS (
    SELECT code_insee, code_departement, period, premises,
           CASE format
               WHEN 'arcep_beta_exclusive' THEN elig_hd8 + elig_thd30 + elig_thd100 + elig_thd1g
               ELSE elig_hd8
           END AS premises_ge_8mbps,
           CASE format
               WHEN 'arcep_beta_exclusive' THEN elig_thd30 + elig_thd100 + elig_thd1g
               ELSE elig_thd30
           END AS premises_ge_30mbps
    FROM ranked
    WHERE rn = 1
)
SELECT code_insee, any_value(code_departement) AS code_departement, period,
       sum(premises) AS premises,
       sum(premises_ge_8mbps) AS premises_ge_8mbps,
       sum(premises_ge_30mbps) AS premises_ge_30mbps
FROM normalised
GROUP BY code_insee, period;
