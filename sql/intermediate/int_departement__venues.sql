-- Purpose: digital mediation venues per département, after deduplication.
-- Grain: one row per code_departement with venues.
CREATE OR REPLACE VIEW int_departement__venues AS
SELECT code_departement, count(*) AS venues
FROM int_venues__deduplicated
GROUP BY code_departement;
