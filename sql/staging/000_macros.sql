-- Purpose: SQL macros shared by the layers.
-- haversine_km: great-circle distance in km between two WGS84 points, with the
-- IUGG mean Earth radius, the same formula as geo.DistanceKm.
CREATE OR REPLACE MACRO haversine_km(lon1, lat1, lon2, lat2) AS
    2 * 6371.0088 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- name_key: a venue name folded for comparison (no case, accents or punctuation).
CREATE OR REPLACE MACRO name_key(s) AS
    trim(regexp_replace(lower(strip_accents(s)), '[^a-z0-9]+', ' ', 'g'));
