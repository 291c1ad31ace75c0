-- Purpose: the fragility score of each département under each weight set:
-- the mean of its communes' scores weighted by their population, and its
-- rank among départements (1 = most fragile).
-- Grain: one row per (département, weight set).
CREATE OR REPLACE TEMP TABLE tmp_departement_fragility AS
WITH scores AS (
    SELECT r.code_departement, s.weight_set,
           sum(s.score * r.population_municipale)
             / nullif(sum(r.population_municipale) FILTER (WHERE s.score IS NOT NULL), 0) AS score
    FROM tmp_fragility_scores AS s
    JOIN ref_communes AS r USING (code_insee)
    GROUP BY r.code_departement, s.weight_set
)
SELECT code_departement, weight_set, score,
       CASE WHEN score IS NOT NULL
            THEN rank() OVER (PARTITION BY weight_set ORDER BY score DESC NULLS LAST) END AS rank
FROM scores;
