-- Purpose: a new ingest file id (ids are never reused, even after a rollback).
SELECT nextval('ingest_file_id_seq');
