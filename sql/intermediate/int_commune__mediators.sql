-- Purpose: conseiller numérique posts per current commune of their host
-- structures (latest programme export).
-- Grain: one row per code_insee with at least one host structure.
CREATE OR REPLACE VIEW int_commune__mediators AS
SELECT code_insee, any_value(code_departement) AS code_departement,
       count(*) AS host_structures,
       sum(posts_attributed) AS posts_attributed,
       sum(posts_recruited) AS posts_recruited
FROM stg_mediators__structures
GROUP BY code_insee;
