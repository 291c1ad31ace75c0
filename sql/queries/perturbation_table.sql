-- Purpose: the perturbation table of the cell-key method (disclosure
-- package), written by sql.BuildViews from the run's parameters before the
-- views read it. Public by design, like the tables of the ABS and the ONS:
-- the protection rests on the record keys, which never leave the working
-- database, not on the table.
-- Grain: one row per (ptable, count, noise).
CREATE OR REPLACE TABLE ref_perturbation_table (
    ptable      VARCHAR NOT NULL,
    count       INTEGER NOT NULL,
    noise       INTEGER NOT NULL,
    probability DOUBLE NOT NULL,
    key_low     INTEGER NOT NULL,
    key_high    INTEGER NOT NULL,
    PRIMARY KEY (ptable, count, noise)
);
COMMENT ON TABLE ref_perturbation_table IS 'Perturbation table of the cell-key method: a published count of self-assessments is its true count plus the noise of the row whose [key_low, key_high) holds the cell''s key (the sum of its respondents'' secret record keys modulo 16 384). Maximum-entropy noise of mean 0 (Giessing 2016, R package ptable); parameters in mart_build_parameters.';
COMMENT ON COLUMN ref_perturbation_table.ptable IS 'respondents: the number of respondents of a cell (published only from the secrecy threshold, and never perturbed below it); measure: the number of them with a class or a missing basic skill (may be 0).';
COMMENT ON COLUMN ref_perturbation_table.count IS 'True count of the cell; the largest count of each ptable holds for every larger count.';
COMMENT ON COLUMN ref_perturbation_table.noise IS 'Noise added to the count (published = count + noise).';
COMMENT ON COLUMN ref_perturbation_table.probability IS 'Probability of this noise for a cell of this count: (key_high − key_low) / 16 384.';
COMMENT ON COLUMN ref_perturbation_table.key_low IS 'Smallest cell key (0–16 383) giving this noise.';
COMMENT ON COLUMN ref_perturbation_table.key_high IS 'Cell keys below key_high (and from key_low) give this noise.';
