-- Purpose: the provenance shown in the report footer: every reference dataset,
-- and each bundled sample only when it was actually loaded; input tells the
-- samples (loaded inputs) from the reference data, kind the input kind of a
-- loaded sample ('' for reference data), so that each indicator can name
-- the inputs it rests on.
SELECT dataset, producer, vintage, licence, coalesce(url, '') AS url, file_name IS NOT NULL AS input,
       coalesce((SELECT any_value(f.kind) FROM ingest_files f
                 WHERE f.name = ref_sources.file_name AND f.status = 'loaded'), '') AS kind
FROM ref_sources
WHERE file_name IS NULL
   OR file_name IN (SELECT name FROM ingest_files WHERE status = 'loaded')
ORDER BY file_name IS NOT NULL, dataset;
