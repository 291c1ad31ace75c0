-- Purpose: which input covers which département (int_departement__input_coverage):
-- where a figure is NULL ("—") because no input describes the territory.
-- Grain: one row per (kind, code_departement).
CREATE OR REPLACE TABLE mart_input_coverage AS
SELECT kind, code_departement, covered, files, communes_described, population_share_described
FROM int_departement__input_coverage
ORDER BY kind, code_departement;

COMMENT ON TABLE mart_input_coverage IS 'Which loaded input covers which département: figures resting on an input are NULL where it does not.';

COMMENT ON COLUMN mart_input_coverage.kind IS 'coverage (ARCEP), socio, venues (any listing), france_services (France Services sites), mediators (conseiller numérique export, national).';

COMMENT ON COLUMN mart_input_coverage.code_departement IS 'INSEE code of the département.';

COMMENT ON COLUMN mart_input_coverage.covered IS 'True when a loaded file covers the département: a per-commune file with at least one of its communes, a listing with at least one venue in it, the national export of conseiller numérique posts everywhere.';

COMMENT ON COLUMN mart_input_coverage.files IS 'The loaded files that cover it (names, in loading order).';

COMMENT ON COLUMN mart_input_coverage.communes_described IS 'Per-commune files: communes of the département the latest data describe.';

COMMENT ON COLUMN mart_input_coverage.population_share_described IS 'Per-commune files: share (0–1) of the département''s 2026 population living in those communes.';
