-- Purpose: the rows of the EPCI downloads (CSV, CSV for Excel, xlsx): every
-- column of mart_epci, the rates and the coverage renamed as shares (0–1)
-- as in download_departements.sql.
-- Grain: one row per EPCI of the reference (DGCL 2026), in SIREN order.
SELECT * RENAME (
           illectronism_rate_est AS illectronism_share_est,
           illectronism_rate_low AS illectronism_share_low,
           illectronism_rate_high AS illectronism_share_high,
           fragility_coverage AS fragility_coverage_share)
FROM mart_epci
ORDER BY code_epci
