-- Purpose: the runs left 'running': when a new run starts, their process
-- died (one run at a time holds the run lock).
SELECT run_id, trigger, started_at FROM runs WHERE status = 'running' ORDER BY run_id;
