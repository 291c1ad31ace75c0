-- Purpose: the year of a snapshot's marts in its Parquet layout: the year of
-- the day the newest loaded file was ingested (the date the report states,
-- see data_date.sql). The placeholder (Go fmt verb) takes the prefix of the
-- snapshot's attached database ("alias.").
SELECT coalesce(year(max(finished_at)), 0) FROM %singest_files WHERE status = 'loaded';
