-- The small-area model reproduces every published margin it is run with,
-- checked against the configured published figures (ref_illectronism_margins),
-- not against the model's own report: each group's rate is recomputed here
-- from the fitted cells (people × rate per département and cell), and must
-- lie within the figure's tolerance; a relative figure (a regional benchmark)
-- as its ratio to its reference; a minimum ("more than one in three") as a
-- floor. A figure whose territory is not in the loaded data is skipped, as
-- the fit skips it. Then the communes' estimates add up to the cells, and France
-- outside Mayotte to the national rate within 0.1 point.
WITH cells AS (
    SELECT c.*, d.code_region
    FROM diag_illectronism_cells AS c
    JOIN ref_departements AS d USING (code_departement)
), groups AS (
    SELECT m.id, sum(c.people * c.rate) / sum(c.people) AS rate
    FROM ref_illectronism_margins AS m
    JOIN cells AS c
      ON in_field(m.field, c.code_departement, c.code_region)
     AND CASE m.dimension WHEN 'ensemble' THEN true
                          WHEN 'age' THEN age_in_band(c.age_group, m.level)
                          WHEN 'diplome' THEN c.diploma = m.level
                          WHEN 'revenu' THEN c.income = m.level
                          WHEN 'menage' THEN c.household = m.level
                          WHEN 'categorie_commune' THEN c.category = m.level
                          ELSE false END
    WHERE m.use IN ('calage', 'calage_2021', 'benchmark', 'controle', 'controle_minimum', 'reference')
    GROUP BY m.id
    HAVING sum(c.people) > 0
), checked AS (
    SELECT m.id, m.use, m.rate AS published, m.tolerance,
           CASE WHEN m.use = 'benchmark' THEN g.rate / gr.rate * r.rate ELSE g.rate END AS modelled
    FROM ref_illectronism_margins AS m
    LEFT JOIN groups AS g ON g.id = m.id
    LEFT JOIN ref_illectronism_margins AS r ON r.id = m.reference
    LEFT JOIN groups AS gr ON gr.id = m.reference
    WHERE m.use IN ('calage', 'calage_2021', 'benchmark', 'controle', 'controle_minimum')
      -- a figure about a territory absent from the loaded data (a partial
      -- run) is not modelled, as in the fit; every loaded one must be.
      AND EXISTS (SELECT 1 FROM cells AS c
                  WHERE in_field(m.field, c.code_departement, c.code_region)
                    AND (m.dimension <> 'categorie_commune' OR c.category = m.level)
                    AND c.people > 0)
)
SELECT id, use, published, modelled
FROM checked
WHERE modelled IS NULL
   OR (use = 'controle_minimum' AND modelled < published - 1e-9)
   OR (use <> 'controle_minimum' AND abs(modelled - published) > tolerance + 1e-9)
UNION ALL
SELECT 'cells of ' || d.code_departement, 'consistency', d.people, c.people
FROM (SELECT code_departement, sum(people_est) AS people FROM diag_commune_illectronism GROUP BY ALL) AS d
JOIN (SELECT code_departement, sum(people * rate) AS people FROM diag_illectronism_cells GROUP BY ALL) AS c USING (code_departement)
WHERE abs(d.people - c.people) > 1e-5 * d.people + 1e-6
UNION ALL
SELECT 'national total', 'communes', m.rate, f.people / f.p15
FROM (SELECT sum(people_est) AS people, sum(population_15_plus) AS p15
      FROM diag_commune_illectronism WHERE code_departement <> '976') AS f
CROSS JOIN ref_illectronism_margins AS m
WHERE m.field = 'france_hors_mayotte' AND m.dimension = 'ensemble' AND m.use = 'calage'
  AND abs(f.people / f.p15 - m.rate) > 0.001;
