-- Purpose: the kinds of input of which a synthetic file was loaded, for the
-- banner of every page. illectro gen names every file it writes
-- ...synthetic... (the bundled self-assessments, assessments_synthetic.csv,
-- and the files of 'illectro gen france'); a loaded file keeps its rows in
-- the raw tables, so the banner stays once one was loaded.
SELECT DISTINCT kind
FROM ingest_files
WHERE status = 'loaded'
  AND (lower(name) LIKE '%synthetic%' OR lower(name) LIKE '%synth_tique%')
ORDER BY kind;
