-- Purpose: the venues of the lists of France Services sites: listings whose
-- every venue belongs to the programme France Services, the latest such list
-- of each département, the latest delivery of each id.
-- Grain: one row per site.
CREATE OR REPLACE VIEW int_venues__france_services_lists AS
WITH lists AS (
    SELECT file_id
    FROM raw_venues
    GROUP BY file_id
    HAVING bool_and(list_contains(string_split(coalesce(dispositif_programmes_nationaux, ''), '|'), 'France Services'))
), latest AS (
    SELECT code_departement, max(file_id) AS file_id
    FROM raw_venues
    WHERE file_id IN (SELECT file_id FROM lists)
    GROUP BY code_departement
)
SELECT v.file_id, v.id, v.code_departement, v.code_insee, v.longitude, v.latitude
FROM raw_venues AS v
JOIN latest USING (code_departement, file_id)
QUALIFY row_number() OVER (PARTITION BY v.id ORDER BY v.line DESC) = 1;
