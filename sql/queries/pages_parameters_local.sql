-- Purpose: the model against published local estimates, per level, for the
-- methodology page: how many, how many still matched, the correlation, the
-- spreads (standard deviations across territories, on the matched ones),
-- the mean and mean absolute error, and the largest; then the five
-- territories with the largest gaps (rank 1 to 5, summary rows rank 0).
WITH summary AS (
    SELECT level, any_value(year) AS year, any_value(region) AS region, count(*) AS territories,
           count(modelled_rate) AS matched,
           corr(published_rate, modelled_rate) AS correlation,
           stddev_pop(published_rate) FILTER (WHERE modelled_rate IS NOT NULL) AS sd_published,
           stddev_pop(modelled_rate) AS sd_modelled,
           avg(error) AS mean_error, avg(abs(error)) AS mean_abs_error, max(abs(error)) AS max_abs_error,
           any_value(source) AS source, any_value(url) AS url
    FROM mart_illectronism_local
    GROUP BY level
), gaps AS (
    SELECT level, label, published_rate, modelled_rate, error,
           row_number() OVER (PARTITION BY level ORDER BY abs(error) DESC, code) AS rank
    FROM mart_illectronism_local
    WHERE error IS NOT NULL
    QUALIFY rank <= 5
)
SELECT s.level, s.year, s.region, s.territories, s.matched, s.correlation, s.sd_published, s.sd_modelled,
       s.mean_error, s.mean_abs_error, s.max_abs_error, s.source, s.url,
       g.rank, g.label AS gap_label, g.published_rate AS gap_published_rate,
       g.modelled_rate AS gap_modelled_rate, g.error AS gap_error
FROM summary AS s
JOIN gaps AS g USING (level)
ORDER BY s.level, g.rank;
