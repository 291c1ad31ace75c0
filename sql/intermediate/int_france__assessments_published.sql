-- Purpose: what may be published of France's observed need: its perturbed
-- counts of respondents and respondents in illectronism, NULL when France
-- itself is withheld.
-- Grain: one row.
CREATE OR REPLACE VIEW int_france__assessments_published AS
SELECT CASE WHEN NOT s.suppressed THEN p.n END AS n,
       CASE WHEN NOT s.suppressed THEN p.illectronisme END AS illectronisme
FROM int_france__assessments_secrecy AS s
CROSS JOIN (SELECT any_value(published) FILTER (WHERE measure = 'respondents') AS n,
                   any_value(published) FILTER (WHERE measure = 'illectronisme') AS illectronisme
            FROM int_assessments__perturbed
            WHERE level = 'france') AS p;
