-- Purpose: the rows the report draws, in code order.
SELECT code_departement, nom, code_region, nom_region, population,
       venues, venues_per_10k, premises, share_premises_below_30mbps,
       mediator_posts, assessments_respondents, assessments_share_illectronism,
       assessments_suppressed
FROM mart_departement
ORDER BY code_departement;
