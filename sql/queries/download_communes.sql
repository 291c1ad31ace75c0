-- Purpose: the rows of the commune downloads (CSV, CSV for Excel, xlsx):
-- every column of mart_commune, the commune's point rounded to 5 decimals
-- (about a metre), the rates renamed as shares (0–1) as in
-- download_departements.sql.
-- Grain: one row per current commune, in code order.
SELECT * REPLACE (round(longitude, 5) AS longitude, round(latitude, 5) AS latitude)
         RENAME (
           illectronism_rate_est AS illectronism_share_est,
           illectronism_rate_low AS illectronism_share_low,
           illectronism_rate_high AS illectronism_share_high)
FROM mart_commune
ORDER BY code_insee
