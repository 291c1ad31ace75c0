-- Purpose: the published odds ratios at equal other characteristics and the
-- model's: what the association of diploma and income in the model's
-- national joint distribution was set to come close to.
-- Grain: one row per published ratio.
CREATE OR REPLACE TABLE mart_illectronism_ratios AS
SELECT dimension, numerator, denominator,
       round(published, 2) AS published_ratio,
       round(modelled, 2) AS modelled_ratio
FROM diag_illectronism_ratios
ORDER BY dimension;

COMMENT ON TABLE mart_illectronism_ratios IS 'Published odds ratios of illectronism between two levels of a factor at equal other characteristics (Insee), and the small-area model''s.';

COMMENT ON COLUMN mart_illectronism_ratios.dimension IS 'diplome or revenu.';

COMMENT ON COLUMN mart_illectronism_ratios.numerator IS 'The level whose risk is compared (aucun_cep, q1_q2).';

COMMENT ON COLUMN mart_illectronism_ratios.denominator IS 'The level it is compared with (bac3_plus, q5).';

COMMENT ON COLUMN mart_illectronism_ratios.published_ratio IS 'Published ratio (see ref_national_structure, tableau rapport_ajuste, for its source).';

COMMENT ON COLUMN mart_illectronism_ratios.modelled_ratio IS 'The central fit''s odds ratio between the two levels, the same whatever the other factors.';
