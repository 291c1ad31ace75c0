-- Purpose: the published adjusted odds ratios and the model's.
SELECT dimension, numerator, denominator, published_ratio, modelled_ratio
FROM mart_illectronism_ratios;
