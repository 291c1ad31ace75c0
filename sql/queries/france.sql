-- Purpose: the national figures the département pages compare with. Observed
-- need over all respondents is safe to publish: secondary suppression keeps
-- the withheld départements at or above the threshold together.
SELECT sum(population) AS population,
       sum(population_15_plus) AS population_15_plus,
       sum(illectronism_people_est) AS illectronism_people_est,
       sum(illectronism_people_est) / sum(population_15_plus) AS illectronism_rate_est,
       sum(premises * share_premises_below_30mbps) / nullif(sum(premises) FILTER (WHERE share_premises_below_30mbps IS NOT NULL), 0) AS share_premises_below_30mbps,
       sum(premises * share_premises_below_8mbps) / nullif(sum(premises) FILTER (WHERE share_premises_below_8mbps IS NOT NULL), 0) AS share_premises_below_8mbps,
       sum(venues) * 10000.0 / sum(population) AS venues_per_10k,
       sum(mediator_posts) * 10000.0 / sum(illectronism_people_est) AS mediator_posts_per_10k_illectronism,
       sum(mediator_posts) AS mediator_posts,
       sum(mediator_fte_needed_low) AS fte_low,
       sum(mediator_fte_needed_central) AS fte_central,
       sum(mediator_fte_needed_high) AS fte_high,
       (SELECT count(*) FROM int_assessments__latest) AS respondents,
       (SELECT count(*) FILTER (WHERE skills_class = 'illectronisme') / nullif(count(*), 0)
        FROM int_assessments__latest) AS share_illectronism
FROM mart_departement;
