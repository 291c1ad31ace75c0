-- Purpose: writes the rows of a download query to a Parquet file. The two
-- placeholders (Go fmt verbs) take the query, without a final semicolon, and
-- the file as a quoted SQL string. The output is byte-identical for the same
-- rows: the query's ORDER BY fixes the order, and DuckDB writes no timestamp.
COPY (%s) TO %s (FORMAT parquet);
