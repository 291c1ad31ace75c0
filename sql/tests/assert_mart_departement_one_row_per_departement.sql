-- Every reference département has exactly one mart row, and nothing else does.
SELECT coalesce(r.code_departement, m.code_departement) AS code_departement, count(m.code_departement) AS mart_rows
FROM ref_departements AS r
FULL JOIN mart_departement AS m USING (code_departement)
GROUP BY ALL
HAVING count(m.code_departement) <> 1 OR bool_or(r.code_departement IS NULL);
