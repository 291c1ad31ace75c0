-- Purpose: the venues access is measured to, with the groups each counts
-- in ('|'-separated): every venue (one per place, across sources) is in
-- "all" and in the group of each national programme it names, but for
-- France Services, whose group holds the sites of the lists of France
-- Services sites only (int_venues__france_services_lists): other listings
-- tag with the programme places that are not sites of their own (the
-- Hauts-de-France listing tags 127 places in Nord, where the ANCT lists 50
-- sites), and the distance to the national network must compare across
-- départements.
SELECT id, longitude, latitude,
       array_to_string(list_prepend('all', list_filter(string_split(coalesce(dispositif_programmes_nationaux, ''), '|'),
                                                     p -> p NOT IN ('', 'all', 'France Services'))), '|') AS groups
FROM int_venues__deduplicated
UNION ALL
SELECT 'france-services:' || file_id || ':' || id, longitude, latitude, 'France Services'
FROM int_venues__france_services_lists
ORDER BY 1;
