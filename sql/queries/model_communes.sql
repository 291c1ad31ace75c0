-- Purpose: what the small-area model of illectronism knows of each current
-- commune: its population, its age structure (three broad groups, shares of
-- the whole population: int_commune__age_structure), and the socio file's
-- rates in percent (NULL where the commune has none): TX_NSCOL15P (people
-- out of school with at most a CAP or BEP, of all people aged 15+) and
-- TX_POVERTY (tax households with a reference income up to 12 000 €, of all
-- tax households); its category of commune in the AAV2020 zoning
-- (int_commune__attraction_category); its EPCI (NULL for the four island
-- communes in none).
SELECT a.code_insee, a.code_departement, d.code_region, e.code_epci, k.category, a.population,
       a.share_15_24, a.share_25_64, a.share_65_plus,
       s.no_diploma_15_plus, s.poverty_rate
FROM int_commune__age_structure AS a
JOIN ref_departements AS d USING (code_departement)
JOIN int_commune__attraction_category AS k USING (code_insee)
LEFT JOIN stg_socio__communes AS s USING (code_insee)
LEFT JOIN ref_commune_epci AS e USING (code_insee)
ORDER BY a.code_insee;
