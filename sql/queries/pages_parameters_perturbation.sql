-- Purpose: the perturbation table of the cell-key method, for the
-- methodology page, in table, count and noise order.
SELECT ptable, count, noise, probability, key_low, key_high
FROM ref_perturbation_table
ORDER BY ptable, count, noise;
