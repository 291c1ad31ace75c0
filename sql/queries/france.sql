-- Purpose: the national figures the pages compare with (mart_france).
SELECT * FROM mart_france;
