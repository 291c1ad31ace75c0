-- Purpose: self-assessment counts per current commune (true counts, for the
-- secrecy rules); respondents whose commune is unknown (a postal code shared
-- by several communes) form one cell per département with code_insee NULL.
-- Grain: one row per (code_departement, code_insee) with respondents.
CREATE OR REPLACE VIEW int_commune__assessments AS
SELECT code_departement, code_insee,
       sum(x) FILTER (WHERE measure = 'respondents') AS respondents,
       sum(x) FILTER (WHERE measure = 'illectronisme') AS respondents_illectronism
FROM int_assessments__cells
GROUP BY ALL;
