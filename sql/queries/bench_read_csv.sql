-- Purpose: the baseline of `illectro bench ingest`: DuckDB's own CSV reader
-- loading the generic assessments file into a table, with explicit column
-- types. The bound parameter is the file.
CREATE TABLE read_csv_baseline AS
SELECT * FROM read_csv(?, header = true, delim = ',', columns = {
    'respondent_id': 'VARCHAR', 'assessed_on': 'DATE', 'code_insee': 'VARCHAR',
    'age_band': 'VARCHAR', 'internet_last_3_months': 'VARCHAR',
    'information': 'TINYINT', 'communication': 'TINYINT', 'content_creation': 'TINYINT',
    'safety': 'TINYINT', 'problem_solving': 'TINYINT'});
