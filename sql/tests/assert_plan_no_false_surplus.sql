-- The mediator plan never claims a surplus while its band includes a
-- deficit, nor a deficit while it includes a surplus; and it claims nothing
-- where the workforce is unknown.
SELECT code_departement, mediator_plan_status, mediator_fte_needed_low, mediator_fte_needed_high,
       mediator_workforce_low, mediator_workforce_high
FROM mart_departement
WHERE (mediator_plan_status = 'surplus' AND mediator_fte_needed_high >= mediator_workforce_low)
   OR (mediator_plan_status = 'deficit' AND mediator_fte_needed_low <= mediator_workforce_high)
   OR (mediator_plan_status IS NOT NULL AND mediator_workforce_low IS NULL)
   OR (mediator_plan_status IS NULL AND mediator_workforce_low IS NOT NULL AND mediator_fte_needed_high IS NOT NULL)
   OR mediator_plan_status NOT IN ('surplus', 'deficit', 'undetermined');
