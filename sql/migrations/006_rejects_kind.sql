-- Migration 6: rejects.kind, the stable code of why a row was rejected
-- (ingest.RejectKind: missing, not_a_number, unknown_code…). Published pages
-- count rejects by kind, never by the reason's wording, which may quote a
-- rejected value. Rows rejected before this migration are classified from
-- the wording of the reasons of that time; what does not match is 'other'.
-- DuckDB cannot set NOT NULL on a column updated in the same transaction:
-- the table is rebuilt with its new definition instead.
CREATE TABLE rejects_006 (
    file_id     BIGINT NOT NULL,
    line        BIGINT NOT NULL,      -- physical line in the file, 1-based, header included
    column_name VARCHAR,              -- the offending column, NULL for a whole-row problem
    value       VARCHAR,              -- the offending value, truncated to 200 characters
    reason      VARCHAR NOT NULL,     -- in English, without the value
    kind        VARCHAR NOT NULL      -- ingest.RejectKind's code, e.g. not_a_number
);

INSERT INTO rejects_006
SELECT file_id, line, column_name, value, reason, CASE
    WHEN reason LIKE 'missing %' OR reason = 'empty value' THEN 'missing'
    WHEN reason LIKE 'not a number%' OR reason LIKE 'not a finite number%' OR reason LIKE 'not a whole number%'
         OR reason LIKE 'not a latitude%' OR reason LIKE 'not a longitude%' THEN 'not_a_number'
    WHEN reason LIKE '%out of range%' OR reason LIKE 'negative count%' OR reason LIKE 'count over %'
         OR reason LIKE 'not a rate between%' OR reason LIKE 'impossible birth year%' OR reason LIKE 'younger than 15%' THEN 'out_of_range'
    WHEN reason LIKE 'not a date%' OR reason LIKE 'impossible date%' OR reason LIKE '%time of day%' THEN 'not_a_date'
    WHEN reason LIKE 'not a yes/no value%' OR reason LIKE 'not an age band%' OR reason LIKE 'not one of the INSEE age bands%' THEN 'not_a_choice'
    WHEN reason LIKE '%outside the 101 départements%' OR reason LIKE '%collectivité d''outre-mer%' THEN 'outside_departements'
    WHEN reason LIKE 'want 5 digits%' THEN 'malformed_code'
    WHEN reason LIKE 'not in COG 2026%' OR reason LIKE '%no current commune succeeds%' OR reason LIKE 'not a postal code of the 101%' THEN 'unknown_code'
    WHEN reason LIKE 'postal code serves communes of several%' OR reason LIKE 'postal codes cannot be resolved%' THEN 'ambiguous_place'
    WHEN reason LIKE 'speed classes add up%' OR reason LIKE 'cumulative speed classes%' THEN 'inconsistent'
    WHEN reason LIKE 'participation not shared%' THEN 'not_shared'
    WHEN reason LIKE 'area % not assessed%' THEN 'incomplete'
    WHEN reason LIKE 'unreadable row%' OR reason LIKE 'row has % fields%' OR reason LIKE 'not a JSON%' OR reason LIKE 'nested JSON%' THEN 'malformed_row'
    WHEN reason LIKE 'line longer than%' THEN 'too_long'
    WHEN reason LIKE 'invalid UTF-8%' OR reason LIKE 'NUL byte%' THEN 'encoding'
    ELSE 'other'
END
FROM rejects;

DROP TABLE rejects;
ALTER TABLE rejects_006 RENAME TO rejects;
