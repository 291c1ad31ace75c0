-- Purpose: the digital mediation venues as published: one row per physical
-- place, after deduplication of the listings (int_venues__deduplicated), with
-- the commune and département it was placed in. What the département pages
-- draw and the GeoJSON download holds.
-- Grain: one row per venue, keyed by id.
CREATE OR REPLACE TABLE mart_venue AS
SELECT id, nom, commune, code_postal, code_insee_input, adresse, longitude, latitude,
       source, date_maj, services, dispositif_programmes_nationaux, code_departement,
       code_insee, CAST(listings AS BIGINT) AS listings
FROM int_venues__deduplicated
ORDER BY id;

COMMENT ON TABLE mart_venue IS 'One row per digital mediation venue (lieu de médiation numérique), after merging the listings of the same place; placed in its département by its coordinates.';
COMMENT ON COLUMN mart_venue.id IS 'Identifier of the kept listing, as in its source (prefixed by the listing''s mapping where it sets one).';
COMMENT ON COLUMN mart_venue.nom IS 'Name of the venue, as listed.';
COMMENT ON COLUMN mart_venue.commune IS 'Commune name as listed (may be empty).';
COMMENT ON COLUMN mart_venue.code_postal IS 'Postal code as listed (may be empty).';
COMMENT ON COLUMN mart_venue.code_insee_input IS 'Commune code as listed, before resolution (may be empty or out of date).';
COMMENT ON COLUMN mart_venue.adresse IS 'Address as listed.';
COMMENT ON COLUMN mart_venue.longitude IS 'Longitude (WGS84), corrected when the listing had latitude and longitude exchanged.';
COMMENT ON COLUMN mart_venue.latitude IS 'Latitude (WGS84).';
COMMENT ON COLUMN mart_venue.source IS 'Source named by the listing (e.g. the producer of a data·inclusion record).';
COMMENT ON COLUMN mart_venue.date_maj IS 'Date of the listing''s last update, as listed.';
COMMENT ON COLUMN mart_venue.services IS 'Services offered, ''|''-separated, as in the national schema.';
COMMENT ON COLUMN mart_venue.dispositif_programmes_nationaux IS 'National programmes of all the listings merged into this venue (e.g. France Services), ''|''-separated; NULL when none.';
COMMENT ON COLUMN mart_venue.code_departement IS 'INSEE code of the département it lies in (point in polygon; its declared code when its point lies in none).';
COMMENT ON COLUMN mart_venue.code_insee IS 'Current commune (COG 2026) it was placed in; NULL when unknown.';
COMMENT ON COLUMN mart_venue.listings IS 'Number of listings merged into this venue (1 when none was).';
