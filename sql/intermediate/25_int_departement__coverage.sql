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

-- Purpose: France Services sites per département, from the latest list of
-- France Services sites that covers it. Other listings tag with the
-- programme places that are not sites of their own (a mairie where a
-- conseiller numérique of a France Services site holds sessions): the
-- Hauts-de-France listing tags 127 places in Nord, where the ANCT lists 50
-- sites; counting them would swell the workforce.
-- Grain: one row per département with at least one site.
CREATE OR REPLACE VIEW int_departement__france_services AS
SELECT code_departement, count(DISTINCT id) AS sites
FROM int_venues__france_services_lists
GROUP BY code_departement;
