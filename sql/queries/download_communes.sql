-- Purpose: the rows of the commune download (CSV): every column of
-- mart_commune.
-- Grain: one row per current commune, in code order.
SELECT * FROM mart_commune ORDER BY code_insee
