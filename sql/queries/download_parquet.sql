-- Purpose: writes the rows of a download query to a Parquet file. The Go fmt
-- verb takes the query (one of sql/queries/download_*.sql, without its final
-- semicolon); the bound parameter is the file. The output is byte-identical
-- for the same rows: the query's ORDER BY fixes the order, and DuckDB writes
-- no timestamp.
COPY (%s) TO ? (FORMAT parquet);
