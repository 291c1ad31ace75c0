-- Purpose: the rows of the commune download (CSV): every column of
-- mart_commune, the commune's point rounded to 5 decimals (about a metre).
-- Grain: one row per current commune, in code order.
SELECT * REPLACE (round(longitude, 5) AS longitude, round(latitude, 5) AS latitude)
FROM mart_commune
ORDER BY code_insee
