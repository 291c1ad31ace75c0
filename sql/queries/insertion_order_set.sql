-- Purpose: keep insertion order, or not; format it with true or false.
-- The assessments' Arrow insert (whole row groups, in order) is faster and
-- needs less memory with order kept (BENCHMARKS.md), so the ingest keeps it
-- for that insert and then restores illectro's setting (order off). The
-- setting is global to the database.
SET preserve_insertion_order = %t;
