-- Purpose: which input describes which département, so that an indicator is
-- computed only where an input covers the territory and is NULL ("—")
-- elsewhere, never 0.
--   coverage, socio   per-commune files: the communes (and their share of
--                     the 2026 population) the latest data describe;
--   venues            listings: a département is covered by a listing
--                     that places at least one venue in it;
--   france_services   a list of France Services sites (a listing whose every
--                     venue belongs to the programme: the national list of
--                     the ANCT) with at least one site in it; the plan
--                     counts their agents;
--   mediators         the programme export is national: every département
--                     is covered once a file is loaded (0 posts is then a
--                     real zero).
-- Grain: one row per (kind, code_departement) for the 101 départements and
-- the five kinds above.
CREATE OR REPLACE VIEW int_departement__input_coverage AS
WITH communes AS (
    SELECT 'coverage' AS kind, code_insee FROM int_coverage__latest
    UNION ALL
    SELECT 'socio', code_insee FROM stg_socio__communes
), by_commune AS (
    SELECT c.kind, r.code_departement,
           count(*) AS communes_described,
           sum(r.population_municipale) AS population_described
    FROM communes AS c
    JOIN ref_communes AS r USING (code_insee)
    GROUP BY ALL
), files AS (
    SELECT 'coverage' AS kind, code_departement, file_id FROM raw_coverage
    UNION
    SELECT 'socio', code_departement, file_id FROM raw_socio WHERE file_id = (SELECT max(file_id) FROM raw_socio)
    UNION
    SELECT 'venues', code_departement, file_id FROM raw_venues
    UNION
    SELECT 'france_services', code_departement, file_id FROM int_venues__france_services_lists
    UNION
    SELECT 'mediators', d.code_departement, m.file_id
    FROM ref_departements AS d
    CROSS JOIN (SELECT max(file_id) AS file_id FROM raw_mediator_structures) AS m
    WHERE m.file_id IS NOT NULL
), file_names AS (
    SELECT f.kind, f.code_departement, string_agg(i.name, ' | ' ORDER BY i.file_id) AS files
    FROM files AS f
    JOIN ingest_files AS i USING (file_id)
    GROUP BY ALL
), kinds AS (
    SELECT * FROM (VALUES ('coverage'), ('socio'), ('venues'), ('france_services'), ('mediators')) AS t(kind)
)
SELECT k.kind, d.code_departement,
       fn.files IS NOT NULL AS covered,
       fn.files,
       b.communes_described,
       round(b.population_described / d.population, 4) AS population_share_described
FROM kinds AS k
CROSS JOIN ref_departements AS d
LEFT JOIN file_names AS fn ON fn.kind = k.kind AND fn.code_departement = d.code_departement
LEFT JOIN by_commune AS b ON b.kind = k.kind AND b.code_departement = d.code_departement;
