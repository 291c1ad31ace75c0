-- The model estimated every commune and every département, and each band
-- holds its estimate: low ≤ central ≤ high, all within the people aged 15+.
SELECT r.code_insee AS key, 'commune without an estimate' AS problem
FROM ref_communes AS r
LEFT JOIN diag_commune_illectronism AS i USING (code_insee)
WHERE i.code_insee IS NULL
UNION ALL
SELECT code_insee, 'band out of order'
FROM diag_commune_illectronism
WHERE NOT (0 <= people_low AND people_low <= people_est + 1e-9 AND people_est <= people_high + 1e-9
           AND people_est <= population_15_plus)
UNION ALL
SELECT code, 'territory band out of order'
FROM diag_illectronism_bands
WHERE NOT (people_low <= people_est AND people_est <= people_high);
