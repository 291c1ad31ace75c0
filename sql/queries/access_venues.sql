-- Purpose: the venues access is measured to (one per place, across
-- sources), with their national programmes ('|'-separated).
SELECT id, longitude, latitude, coalesce(dispositif_programmes_nationaux, '') AS programmes
FROM int_venues__deduplicated
ORDER BY id;
