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
