-- Purpose: a run still 'running' when a new one starts was interrupted.
-- Parameter: the release live now (twice). A run killed after switching the
-- site to its own release (release names end with -run<id>), before its
-- last ledger write, is recorded with that release: it is what readers see.
UPDATE runs SET status = 'failed', finished_at = now(),
       error = 'interrupted: the process ended before the run finished', error_kind = 'interrupted',
       release = CASE WHEN ends_with(?, '-run' || run_id) THEN ? ELSE release END
WHERE status = 'running';
