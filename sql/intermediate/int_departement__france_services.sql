-- Purpose: France Services sites per département, from the latest list of
-- France Services sites that covers it. Other listings tag with the
-- programme places that are not sites of their own (a mairie where a
-- conseiller numérique of a France Services site holds sessions): the
-- Hauts-de-France listing tags 127 places in Nord, where the ANCT lists 50
-- sites; counting them would swell the workforce.
-- Grain: one row per département with at least one site.
CREATE OR REPLACE VIEW int_departement__france_services AS
SELECT code_departement, count(DISTINCT id) AS sites
FROM int_venues__france_services_lists
GROUP BY code_departement;
