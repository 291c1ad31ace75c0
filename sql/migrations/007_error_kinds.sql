-- Migration 7: ingest_files.error_kind and runs.error_kind, the stable code
-- of why a file was refused (ingest.FileErrorKind: unreadable, bad_header,
-- missing_key…) and of why a run failed (pipeline.RunErrorKind: data_tests,
-- database, interrupted…); NULL for a loaded file and a run that did not
-- fail. Published pages show the kind, never the error's wording, which may
-- hold a server path or a raw database message; the wording stays in error,
-- for operators. Rows written before this migration are classified from the
-- wording of that time; what does not match is 'other'.
ALTER TABLE ingest_files ADD COLUMN error_kind VARCHAR;

UPDATE ingest_files SET error_kind = CASE
    WHEN error IS NULL THEN 'other'
    WHEN error LIKE '%context canceled%' OR error LIKE '%context deadline exceeded%' THEN 'interrupted'
    WHEN error LIKE '%: the file is empty%' THEN 'empty'
    WHEN error LIKE '%this is UTF-16 text%' OR error LIKE '%this is a binary file%' THEN 'encoding'
    WHEN error LIKE 'assessments need a pseudonymisation key%' THEN 'missing_key'
    WHEN error LIKE '%no built-in mapping%' OR error LIKE '%no built-in venue mapping%'
         OR error LIKE '%cannot tell the ARCEP format%' THEN 'unknown_format'
    WHEN error LIKE '%missing mandatory column(s)%' THEN 'missing_columns'
    WHEN error LIKE '%no header line with a %' OR error LIKE '%unreadable header%'
         OR error LIKE '%appears twice in the header%' THEN 'bad_header'
    WHEN error LIKE '%too many rejected rows%' THEN 'too_many_rejects'
    WHEN error LIKE 'ingest ledger:%' OR error LIKE '%store rows%' OR error LIKE '%store rejects%'
         OR error LIKE '%store quality findings%' OR error LIKE '%appender %' OR error LIKE '%: commit%'
         OR regexp_matches(error, '(Conversion|Constraint|Invalid Input|IO|Out of Memory|INTERNAL|Catalog|Binder|Transaction) Error') THEN 'database'
    WHEN error LIKE 'read %' THEN 'unreadable'
    ELSE 'other'
END
WHERE status = 'failed';

ALTER TABLE runs ADD COLUMN error_kind VARCHAR;

UPDATE runs SET error_kind = CASE
    WHEN error IS NULL THEN 'other'
    WHEN error LIKE 'interrupted:%' OR error LIKE '%context canceled%' OR error LIKE '%context deadline exceeded%' THEN 'interrupted'
    WHEN error LIKE 'inbox % is not a readable folder%' OR error LIKE 'read inbox:%' THEN 'inbox'
    WHEN error LIKE 'data tests failed%' OR error LIKE 'data test %' THEN 'data_tests'
    WHEN error LIKE 'analysts'' snapshot:%' THEN 'snapshot'
    WHEN error LIKE 'render report:%' OR error LIKE 'publish downloads:%' OR error LIKE 'publish: the new release fails its check%' THEN 'report'
    WHEN error LIKE 'publish:%' THEN 'publish'
    WHEN error LIKE 'store reference data:%' OR error LIKE 'fingerprint:%' OR error LIKE 'run ledger:%'
         OR error LIKE 'build marts:%' THEN 'database'
    WHEN error LIKE 'access:%' OR error LIKE 'illectronism model%' OR error LIKE 'store model reference:%' THEN 'model'
    WHEN regexp_matches(error, '(Conversion|Constraint|Invalid Input|IO|Out of Memory|INTERNAL|Catalog|Binder|Transaction) Error') THEN 'database'
    ELSE 'other'
END
WHERE status = 'failed';
