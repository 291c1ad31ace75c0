-- Purpose: the kinds of input of which a synthetic file was loaded, for the
-- banner of every page: a file whose rows all carry the synthetic marker
-- (ingest_synthetic_files: self-assessments from illectro gen, whatever
-- their name), or named ...synthetic... (illectro gen names every file it
-- writes so: the bundled self-assessments, assessments_synthetic.csv, and
-- the venues and coverage of 'illectro gen france', which have no marker
-- column of their own). A loaded file keeps its rows in the raw tables, so
-- the banner stays once one was loaded.
SELECT DISTINCT kind
FROM ingest_files
WHERE status = 'loaded'
  AND (lower(name) LIKE '%synthetic%' OR lower(name) LIKE '%synth_tique%'
       OR file_id IN (SELECT file_id FROM ingest_synthetic_files))
ORDER BY kind;
