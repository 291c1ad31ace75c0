-- Purpose: is DuckDB keeping insertion order (true or false)? The ingest
-- reads it before keeping order for the assessments' insert, and restores it.
SELECT current_setting('preserve_insertion_order')::BOOLEAN;
