-- Every commune and département code stored at ingest exists in the reference.
SELECT 'raw_assessments' AS tbl, code_insee AS code FROM raw_assessments
WHERE code_insee NOT IN (SELECT code_insee FROM ref_communes)
UNION ALL
SELECT 'raw_assessments', code_departement FROM raw_assessments
WHERE code_departement NOT IN (SELECT code_departement FROM ref_departements)
UNION ALL
SELECT 'raw_coverage', code_insee FROM raw_coverage
WHERE code_insee NOT IN (SELECT code_insee FROM ref_communes)
UNION ALL
SELECT 'raw_mediator_structures', code_insee FROM raw_mediator_structures
WHERE code_insee NOT IN (SELECT code_insee FROM ref_communes)
UNION ALL
SELECT 'raw_venues', code_departement FROM raw_venues
WHERE code_departement NOT IN (SELECT code_departement FROM ref_departements)
UNION ALL
SELECT 'raw_venues', v.code_insee FROM raw_venues AS v
LEFT JOIN ref_communes AS c USING (code_insee)
WHERE v.code_insee IS NOT NULL AND c.code_departement IS DISTINCT FROM v.code_departement;
