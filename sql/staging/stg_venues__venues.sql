-- Purpose: digital mediation venues, one per identifier, latest delivery wins.
-- Grain: one row per venue id. The département comes from point-in-polygon on
-- the venue's own coordinates (raw_venues.code_departement).
CREATE OR REPLACE VIEW stg_venues__venues AS
SELECT id, nom, commune, code_postal, code_insee_input, adresse, longitude, latitude,
       source, date_maj, services, dispositif_programmes_nationaux, code_departement,
       code_insee, placement, commune_from
FROM raw_venues
QUALIFY row_number() OVER (PARTITION BY id ORDER BY file_id DESC, line DESC) = 1;

-- Purpose: listings of a venue id superseded by a later delivery of the same
-- id (the merge report for same-id duplicates; int_venues__merge_report
-- covers different ids at the same place).
-- Grain: one row per superseded raw row.
CREATE OR REPLACE VIEW stg_venues__superseded AS
SELECT id, file_id, line, nom, source,
       first_value(file_id) OVER w AS kept_file_id,
       first_value(line) OVER w AS kept_line
FROM raw_venues
WINDOW w AS (PARTITION BY id ORDER BY file_id DESC, line DESC)
QUALIFY row_number() OVER w > 1;
