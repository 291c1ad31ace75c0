-- Purpose: conseiller numérique posts per département, attributed and
-- recruited, from the latest programme export.
-- Grain: one row per code_departement with host structures.
CREATE OR REPLACE VIEW int_departement__mediators AS
SELECT code_departement,
       sum(posts_attributed) AS posts_attributed,
       sum(posts_recruited) AS posts_recruited
FROM stg_mediators__structures
GROUP BY code_departement;
