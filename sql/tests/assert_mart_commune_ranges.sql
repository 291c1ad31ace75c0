-- Commune figures lie in their documented ranges.
SELECT code_insee
FROM mart_commune
WHERE population < 0
   OR illectronism_rate_est NOT BETWEEN 0 AND 1
   OR population_15_plus > population
   OR share_premises_below_30mbps NOT BETWEEN 0 AND 1
   OR share_premises_below_8mbps > share_premises_below_30mbps
   OR venue_distance_km < 0
   OR fragility_score NOT BETWEEN 1 AND 10
   OR fragility_decile NOT BETWEEN 1 AND 10
   OR least(decile_connectivity, decile_venue_distance, decile_aged_65_plus, decile_no_diploma,
            decile_poverty, decile_living_alone, decile_single_parent, decile_jobseekers) < 1
   OR greatest(decile_connectivity, decile_venue_distance, decile_aged_65_plus, decile_no_diploma,
               decile_poverty, decile_living_alone, decile_single_parent, decile_jobseekers) > 10
   OR assessments_share_illectronism NOT BETWEEN 0 AND 1
   OR age_source NOT IN ('commune', 'departement', 'france', 'mayotte')
   OR diploma_source NOT IN ('commune', 'departement', 'region', 'outre_mer_ou_metropole', 'mayotte', 'france')
   OR income_source NOT IN ('commune', 'departement', 'region', 'outre_mer_ou_metropole', 'france')
   OR NOT (illectronism_rate_low <= illectronism_rate_est AND illectronism_rate_est <= illectronism_rate_high)
   OR venues < 0;
