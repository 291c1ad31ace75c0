-- Purpose: the column comments of the working database's tables, for a
-- snapshot to copy (sql.Snapshot keeps those of the tables it copies).
-- Grain: one row per commented column, in table then column order.
SELECT table_name, column_name, comment
FROM duckdb_columns()
WHERE database_name = current_database()
  AND schema_name = 'main'
  AND comment IS NOT NULL
  AND comment <> ''
ORDER BY table_name, column_index;
