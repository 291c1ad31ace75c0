-- The ENUM raw_assessments stores départements with lists exactly the
-- départements of the reference (a new COG would need both changed).
WITH enum_codes AS (
    SELECT unnest(enum_range(NULL::enum_code_departement))::VARCHAR AS code_departement
)
SELECT coalesce(e.code_departement, r.code_departement) AS code_departement,
       CASE WHEN r.code_departement IS NULL THEN 'in the ENUM, not in ref_departements'
            ELSE 'in ref_departements, not in the ENUM' END AS problem
FROM enum_codes AS e
FULL JOIN ref_departements AS r USING (code_departement)
WHERE e.code_departement IS NULL OR r.code_departement IS NULL;
