-- The class and area count stored at ingest (computed in Go) agree with the
-- INSEE rule recomputed in SQL from the stored levels.
WITH recomputed AS (
    SELECT file_id, line, skills_class, areas_basic,
           (level_information >= 1)::INTEGER + (level_communication >= 1)::INTEGER
             + (level_content_creation >= 1)::INTEGER + (level_safety >= 1)::INTEGER
             + (level_problem_solving >= 1)::INTEGER AS basic,
           internet_last_3_months AS internet
    FROM raw_assessments
)
SELECT file_id, line, skills_class, areas_basic, basic
FROM recomputed
WHERE areas_basic <> basic
   OR skills_class <> CASE WHEN NOT internet OR basic <= 1 THEN 'illectronisme'
                           WHEN basic < 5 THEN 'capacites_faibles'
                           ELSE 'autonome' END;
