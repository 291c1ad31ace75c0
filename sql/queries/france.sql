-- Purpose: the national figures the département pages compare with, each
-- computed over the départements an input covers (a figure is NULL when no
-- département is covered), and the model's estimate for France outside
-- Mayotte (the survey's field) with its band. Observed need over all
-- respondents: the perturbed counts of France (cell-key method), NULL when
-- all respondents together are fewer than the threshold; secondary
-- suppression keeps the withheld départements at or above the threshold
-- together.
SELECT sum(population) AS population,
       (SELECT population_15_plus FROM mart_illectronism_territories WHERE level = 'france') AS population_15_plus,
       (SELECT illectronism_people_est FROM mart_illectronism_territories WHERE level = 'france') AS illectronism_people_est,
       (SELECT illectronism_rate_est FROM mart_illectronism_territories WHERE level = 'france') AS illectronism_rate_est,
       sum(premises * share_premises_below_30mbps) / nullif(sum(premises) FILTER (WHERE share_premises_below_30mbps IS NOT NULL), 0) AS share_premises_below_30mbps,
       sum(premises * share_premises_below_8mbps) / nullif(sum(premises) FILTER (WHERE share_premises_below_8mbps IS NOT NULL), 0) AS share_premises_below_8mbps,
       sum(venues) * 10000.0 / nullif(sum(population) FILTER (WHERE venues IS NOT NULL), 0) AS venues_per_10k,
       sum(mediator_posts) * 10000.0 / nullif(sum(illectronism_people_est) FILTER (WHERE mediator_posts IS NOT NULL), 0) AS mediator_posts_per_10k_illectronism,
       sum(mediator_posts) AS mediator_posts,
       sum(mediator_fte_needed_low) AS fte_low,
       sum(mediator_fte_needed_central) AS fte_central,
       sum(mediator_fte_needed_high) AS fte_high,
       (SELECT n FROM int_france__assessments_published) AS respondents,
       (SELECT perturbed_share(illectronisme, n) FROM int_france__assessments_published) AS share_illectronism,
       (SELECT illectronism_people_low FROM mart_illectronism_territories WHERE level = 'france') AS illectronism_people_low,
       (SELECT illectronism_people_high FROM mart_illectronism_territories WHERE level = 'france') AS illectronism_people_high,
       sum(mediator_workforce_central) AS workforce_central,
       sum(france_services_sites) AS france_services_sites
FROM mart_departement;
