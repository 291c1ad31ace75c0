-- Purpose: the venues access is measured to (deduplicated, placed), with
-- their national programmes ('|'-separated).
SELECT id, longitude, latitude, coalesce(dispositif_programmes_nationaux, '') AS programmes
FROM stg_venues__venues
ORDER BY id;
