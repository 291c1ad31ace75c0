-- Purpose: the model's estimate for France, the overseas départements and
-- the régions, with their bands, for the methodology page.
SELECT level, code, nom, population_15_plus, illectronism_people_est, illectronism_people_low,
       illectronism_people_high, illectronism_rate_est, illectronism_rate_low, illectronism_rate_high
FROM mart_illectronism_territories;
