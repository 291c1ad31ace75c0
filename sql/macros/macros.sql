-- Purpose: SQL macros shared by the layers.
-- haversine_km: great-circle distance in km between two WGS84 points, with the
-- IUGG mean Earth radius, the same formula as geo.DistanceKm.
CREATE OR REPLACE MACRO haversine_km(lon1, lat1, lon2, lat2) AS
    2 * 6371.0088 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- name_key: a venue name folded for comparison (no case, accents or punctuation).
CREATE OR REPLACE MACRO name_key(s) AS
    trim(regexp_replace(lower(strip_accents(s)), '[^a-z0-9]+', ' ', 'g'));

-- wilson_low / wilson_high: bounds of the 95 % Wilson score interval of a
-- proportion x / n (z = 1.959964), which stays within [0, 1] and behaves for
-- small n and for shares near 0 or 1, unlike the normal approximation. The
-- bounds are exactly 0 for x = 0 and 1 for x = n; greatest and least remove
-- the rounding error that would otherwise give -0.0 or 1.0000000000000002.
-- They skip NULLs, so the CASE keeps a NULL n (a withheld cell) NULL.
CREATE OR REPLACE MACRO wilson_low(x, n) AS
    CASE WHEN n > 0 THEN greatest(0.0,
        ((x / n + 1.959964 ^ 2 / (2 * n)) - 1.959964 * sqrt(x / n * (1 - x / n) / n + 1.959964 ^ 2 / (4 * n * n)))
        / (1 + 1.959964 ^ 2 / n)) END;
CREATE OR REPLACE MACRO wilson_high(x, n) AS
    CASE WHEN n > 0 THEN least(1.0,
        ((x / n + 1.959964 ^ 2 / (2 * n)) + 1.959964 * sqrt(x / n * (1 - x / n) / n + 1.959964 ^ 2 / (4 * n * n)))
        / (1 + 1.959964 ^ 2 / n)) END;

-- key_bits / key_top: the keys of a respondent, KeyBits = 14 bits each of
-- their 128-bit record key held as two UBIGINT halves (lo, hi)
-- (disclosure.RecordKeys): keys 0–3 are key_bits(lo, 0, 14, 28, 42), keys
-- 4–7 key_bits(hi, 0, 14, 28, 42), key 8 key_top(lo, hi), the top 8 bits of
-- lo and 6 of hi. One independent key per published measure (respondents,
-- the three classes, the five areas), so that a class holding all of a
-- cell's respondents is not perturbed like the cell itself. Native 64-bit
-- arithmetic, one macro per form: slicing the 128-bit digest itself, or
-- choosing the form with a CASE on the key's number, costs two to three
-- times as much at 10 M respondents.
CREATE OR REPLACE MACRO key_bits(half, shift) AS CAST((half >> shift) & 16383 AS INTEGER);
CREATE OR REPLACE MACRO key_top(lo, hi) AS CAST((lo >> 56) | ((hi >> 56) & 63) << 8 AS INTEGER);

-- record_key_lo / record_key_hi: the two halves of a respondent's record
-- key, the MD5 of '<source>:<pseudonym>' read as a little-endian 128-bit
-- integer (md5_number).
CREATE OR REPLACE MACRO record_key_lo(k) AS CAST(k & CAST(18446744073709551615 AS UHUGEINT) AS UBIGINT);
CREATE OR REPLACE MACRO record_key_hi(k) AS CAST(k >> CAST(64 AS UHUGEINT) AS UBIGINT);

-- perturbed_share: a share computed from the published (perturbed) counts
-- x and n, at most 1: the noises of x and n are independent, so x may
-- exceed n when they are close.
CREATE OR REPLACE MACRO perturbed_share(x, n) AS
    CASE WHEN n > 0 AND x IS NOT NULL THEN least(x, n) / n END;

-- perturbed_low / perturbed_high: the 95 % interval of a share published
-- from perturbed counts: the Wilson interval of least(x, n) / n, each half
-- widened by the perturbation's own spread, added in quadrature: the share
-- moves by (e_x − p·e_n) / n, of variance V·(1 + p²) / n², V the noise
-- variance (run variable noise_variance).
CREATE OR REPLACE MACRO perturbed_low(x, n) AS
    CASE WHEN n > 0 THEN greatest(0.0, perturbed_share(x, n) - sqrt(
        pow(perturbed_share(x, n) - wilson_low(least(x, n), n), 2)
        + 1.959964 ^ 2 * getvariable('noise_variance') * (1 + pow(perturbed_share(x, n), 2)) / (n * n))) END;
CREATE OR REPLACE MACRO perturbed_high(x, n) AS
    CASE WHEN n > 0 THEN least(1.0, perturbed_share(x, n) + sqrt(
        pow(wilson_high(least(x, n), n) - perturbed_share(x, n), 2)
        + 1.959964 ^ 2 * getvariable('noise_variance') * (1 + pow(perturbed_share(x, n), 2)) / (n * n))) END;

-- published: the statistical-secrecy rule, in one place. value when it rests
-- on at least the run's secrecy threshold of respondents (n), else NULL.
CREATE OR REPLACE MACRO published(n, value) AS
    CASE WHEN n >= getvariable('secrecy_threshold') THEN value END;

-- exact_sum (an aggregate): the sum of DOUBLE x, each term rounded to 12
-- decimals and added exactly (DECIMAL), returned as a DOUBLE. A plain sum of
-- doubles depends on the order DuckDB's threads add the rows in, so the
-- same data could give a last digit that differs from run to run; the
-- illectronism model reads these figures, and its output must be the same,
-- byte for byte, for the same inputs.
CREATE OR REPLACE MACRO exact_sum(x) AS CAST(sum(CAST(x AS DECIMAL(38, 12))) AS DOUBLE);

-- weighted_rate (inside a GROUP BY): the mean of rate x weighted by weight
-- over the rows where x is known; the plain mean when any row of the group
-- lacks a positive weight. Exact sums: see exact_sum.
CREATE OR REPLACE MACRO weighted_rate(x, weight) AS
    CASE WHEN bool_and(coalesce(weight, 0) > 0)
         THEN exact_sum(x * weight) / nullif(sum(weight) FILTER (WHERE x IS NOT NULL), 0)
         ELSE exact_sum(x) / nullif(count(x), 0) END;

-- age_in_band: whether an age group of the illectronism model ('25-29',
-- '75+') lies within a published age band ('25-39', '60+'); the same rule
-- as diagnostics.AgeBand.
CREATE OR REPLACE MACRO age_bound_low(a) AS CAST(regexp_extract(a, '^([0-9]+)', 1) AS INTEGER);
CREATE OR REPLACE MACRO age_bound_high(a) AS
    CASE WHEN a LIKE '%+' THEN 999 ELSE CAST(regexp_extract(a, '-([0-9]+)$', 1) AS INTEGER) END;
CREATE OR REPLACE MACRO age_in_band(g, band) AS
    age_bound_low(g) >= age_bound_low(band) AND age_bound_high(g) <= age_bound_high(band);

-- in_field: whether a département of a région lies in the territory of a
-- published illectronism rate (france_hors_mayotte, metropole,
-- dom_hors_mayotte, region:<code>, departement:<code>).
CREATE OR REPLACE MACRO in_field(field, dep, region) AS
    CASE WHEN field = 'france_hors_mayotte' THEN dep <> '976'
         WHEN field = 'metropole' THEN dep NOT LIKE '97%'
         WHEN field = 'dom_hors_mayotte' THEN dep LIKE '97%' AND dep <> '976'
         WHEN field LIKE 'region:%' THEN region = substr(field, 8)
         WHEN field LIKE 'departement:%' THEN dep = substr(field, 13)
         ELSE false END;

-- The mediator plan, one definition for mart_departement and mart_epci:
-- mediator_fte is the FTE needed to reach people over the horizon at
-- caseload people per FTE and per year; mediator_workforce counts the
-- conseiller numérique posts and the France Services agents of sites at a
-- share of their time; mediator_plan_status claims a surplus only when even
-- the highest need is below the smallest workforce, a deficit only when even
-- the lowest need is above the largest workforce, NULL when either is
-- unknown. Run variables: horizon_years, france_services_agents.
CREATE OR REPLACE MACRO mediator_fte(people, caseload) AS
    people / (caseload * getvariable('horizon_years'));
CREATE OR REPLACE MACRO mediator_workforce(posts, sites, share) AS
    posts + sites * getvariable('france_services_agents') * share;
CREATE OR REPLACE MACRO mediator_plan_status(fte_low, fte_high, workforce_low, workforce_high) AS
    CASE WHEN workforce_low IS NULL OR fte_high IS NULL THEN NULL
         WHEN fte_high < workforce_low THEN 'surplus'
         WHEN fte_low > workforce_high THEN 'deficit'
         ELSE 'undetermined' END;
