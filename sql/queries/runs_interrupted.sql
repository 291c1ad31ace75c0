-- Purpose: a run still 'running' when a new one starts was interrupted.
UPDATE runs SET status = 'failed', finished_at = now(),
       error = 'interrupted: the process ended before the run finished'
WHERE status = 'running';
