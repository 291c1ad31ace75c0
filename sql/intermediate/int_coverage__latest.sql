-- Purpose: the latest coverage period of each commune.
-- Grain: one row per code_insee.
CREATE OR REPLACE VIEW int_coverage__latest AS
SELECT *
FROM stg_coverage__communes
QUALIFY row_number() OVER (PARTITION BY code_insee ORDER BY period DESC) = 1;
