-- Purpose: the venues of the GeoJSON download: every column of mart_venue,
-- services and programmes '|'-separated.
-- Grain: one row per venue, in id order.
SELECT id, nom, commune, code_postal, code_insee_input, adresse, longitude, latitude,
       source, date_maj, services, dispositif_programmes_nationaux, code_departement,
       code_insee, listings
FROM mart_venue
ORDER BY id
