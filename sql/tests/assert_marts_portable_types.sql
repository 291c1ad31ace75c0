-- The marts and their history are published as Parquet for other engines
-- (Spark, Trino, pandas): their columns keep to types every one of them
-- reads. DuckDB's HUGEINT (what sum() of integers gives) and unsigned
-- integers would be written as doubles or unsigned types; unions, enums and
-- nested lists other than maps are not portable either.
SELECT table_name, column_name, data_type
FROM duckdb_columns()
WHERE (starts_with(table_name, 'mart_') OR table_name = 'hist_departement')
  AND (data_type IN ('HUGEINT', 'UHUGEINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT')
       OR data_type LIKE 'UNION%' OR data_type LIKE 'ENUM%' OR data_type LIKE '%[]');
