-- Purpose: the category of each current commune in Insee's zoning in areas
-- of attraction of cities (AAV2020, ref_commune_aav), as the illectronism
-- model uses it (diagnostics.CommuneCategories), after the groups Insee
-- publishes rates for (Insee Analyses n° 85, 2019):
--   hors_attraction  outside the attraction of cities (CATEAAV2020 30):
--                    « les habitants les plus éloignés des villes »
--   petit_pole       in the pôle (11, 12, 13) of an area under 50 000
--                    inhabitants (TAAV2017 1): « petits pôles urbains »
--   grande_aire      in an area of 700 000 inhabitants or more, Paris's
--                    included (TAAV2017 4, 5), pôle and couronne
--   autre            every other commune, and any the zoning does not list
-- Grain: one row per current commune (ref_communes).
CREATE OR REPLACE VIEW int_commune__attraction_category AS
SELECT r.code_insee, a.cateaav2020, a.taav2017,
       CASE WHEN a.cateaav2020 = 30 THEN 'hors_attraction'
            WHEN a.cateaav2020 IN (11, 12, 13) AND a.taav2017 = 1 THEN 'petit_pole'
            WHEN a.taav2017 IN (4, 5) THEN 'grande_aire'
            ELSE 'autre' END AS category
FROM ref_communes AS r
LEFT JOIN ref_commune_aav AS a USING (code_insee);
