-- Purpose: digital mediation venues, one per identifier, latest delivery wins.
-- Grain: one row per venue id. The département comes from point-in-polygon on
-- the venue's own coordinates (raw_venues.code_departement).
CREATE OR REPLACE VIEW stg_venues__venues AS
SELECT id, nom, commune, code_postal, code_insee_input, adresse, longitude, latitude,
       source, date_maj, services, dispositif_programmes_nationaux, code_departement,
       code_insee, placement, commune_from
FROM raw_venues
QUALIFY row_number() OVER (PARTITION BY id ORDER BY file_id DESC, line DESC) = 1;
