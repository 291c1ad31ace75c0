-- Purpose: provenance of the embedded reference data and of the bundled sample
-- inputs, shown in the report footer. file_name links a sample to the
-- ingest_files rows it produced; it is NULL for reference data.
-- Grain: one row per dataset.
CREATE TABLE IF NOT EXISTS ref_sources (
    dataset   VARCHAR PRIMARY KEY,
    producer  VARCHAR NOT NULL,
    vintage   VARCHAR NOT NULL,
    licence   VARCHAR NOT NULL,
    url       VARCHAR,
    file_name VARCHAR
);

INSERT OR REPLACE INTO ref_sources VALUES
 ('Code officiel géographique : communes et mouvements', 'Insee (via etalab/decoupage-administratif)', 'COG 2026', 'Licence Ouverte / Etalab 2.0', 'https://www.insee.fr/fr/information/2560452', NULL),
 ('Populations légales des communes', 'Insee', 'population municipale, COG 2026', 'Licence Ouverte / Etalab 2.0', 'https://www.insee.fr/fr/statistiques', NULL),
 ('Contours des départements (simplifiés)', 'IGN Admin Express COG 2018 (via gregoiredavid/france-geojson)', '2018', 'Licence Ouverte / Etalab 2.0', 'https://github.com/gregoiredavid/france-geojson', NULL),
 ('Centroïdes et populations 2021 des communes', 'Insee, La Poste (via rcarlier/datas.fun)', 'COG 2024, recensement 2021', 'Licence Ouverte / Etalab 2.0', 'https://www.data.gouv.fr', NULL),
 ('Zonage en aires d''attraction des villes 2020', 'Insee (via MaelTheuliere/COGiter)', 'communes au 1er janvier 2025', 'Licence Ouverte / Etalab 2.0', 'https://www.insee.fr/fr/information/4803954', NULL),
 ('Composition communale des EPCI à fiscalité propre', 'DGCL (via etalab/decoupage-administratif 6.0.0)', '1er janvier 2026', 'Licence Ouverte / Etalab 2.0', 'https://www.collectivites-locales.gouv.fr/etudes-et-statistiques/acces-aux-statistiques-par-thematique/perimetre-des-intercommunalites/liste-et-composition-des-epci-fiscalite-propre', NULL),
 ('Liste des France services', 'ANCT (échantillon livré avec illectro)', '2023', 'Licence Ouverte / Etalab 2.0', 'https://www.data.gouv.fr/fr/datasets/liste-des-france-services/', 'france_services_2023.csv'),
 ('Lieux de médiation numérique (Nord, Pas-de-Calais)', 'data·inclusion, Les Assembleurs (échantillon livré avec illectro)', '2023-05-18', 'Licence Ouverte / Etalab 2.0', 'https://www.data.gouv.fr/fr/datasets/lieux-de-mediation-numerique-sur-le-territoire-national-fournis-par-data-inclusion-1/', 'lieux_mediation_numerique_hauts-de-france_2023_v1.0.2.csv'),
 ('Ma connexion internet : éligibilité par commune (bêta)', 'Arcep (échantillon livré avec illectro)', '2019 T3 (30/09/2019)', 'Licence Ouverte / Etalab 2.0', 'https://maconnexioninternet.arcep.fr', 'arcep_commune_debit_2019T3_beta.csv'),
 ('Structures Conseiller numérique France Services', 'ANCT, tableau de bord public du programme (échantillon livré avec illectro)', '2023-07-25', 'Licence Ouverte / Etalab 2.0', 'https://www.conseiller-numerique.gouv.fr', 'cnum_structures_2023-07-25.csv'),
 ('Indicateurs socio-démographiques par commune (entrées de l''indice de fragilité numérique)', 'Data For Good (batch 8 mednum), d''après Insee RP 2017, DGFiP IRCOM et Pôle emploi (échantillon livré avec illectro)', 'COG 2017', 'Licence Ouverte / Etalab 2.0 (données) ; MIT (code)', 'https://github.com/dataforgoodfr/batch8_mednum', 'dataforgood_ifn_indicateurs_communes_2017.csv'),
 ('Autodiagnostics de compétences numériques (SYNTHÉTIQUES)', 'illectro gen (données fictives, aucune personne réelle)', 'graine 2026', 'sans objet (généré)', NULL, 'assessments_synthetic.csv');
