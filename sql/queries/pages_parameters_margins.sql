-- Purpose: every published illectronism rate and what the model makes of
-- it, for the methodology page's tables, in the mart's order.
SELECT id, year, field, dimension, level, label, published_rate, tolerance, use,
       coalesce(reference, '') AS reference, modelled_rate, modelled_rate_structure_2019, predicted_without,
       within_tolerance, source, url, status
FROM mart_illectronism_margins;
