-- Purpose: conseiller numérique host structures from the latest mediators file
-- (each export is a full snapshot of the programme, so older files are history).
-- Grain: one row per host structure line of the latest loaded file.
CREATE OR REPLACE VIEW stg_mediators__structures AS
SELECT nom_structure, siret, code_insee, code_departement, code_postal,
       posts_attributed, posts_recruited
FROM raw_mediator_structures
WHERE file_id = (SELECT max(file_id) FROM raw_mediator_structures);
