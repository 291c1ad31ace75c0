-- Purpose: the rows of the EPCI download (CSV, and CSV for French Excel):
-- every column of mart_epci.
-- Grain: one row per EPCI of the reference (DGCL 2026), in SIREN order.
SELECT * FROM mart_epci ORDER BY code_epci
