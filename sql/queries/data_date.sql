-- Purpose: the day the newest loaded file was ingested: the date the report
-- states, so that the same data always gives the same pages.
SELECT coalesce(strftime(max(finished_at), '%Y-%m-%d'), '') FROM ingest_files WHERE status = 'loaded';
