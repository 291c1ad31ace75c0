-- Purpose: record as failed a run left 'running' by a process that died.
-- Parameters: the error (how it most likely ended), its kind (interrupted
-- or out_of_memory), the release live now (twice), the run id. A run
-- killed after switching the site to its own release (release names end
-- with -run<id>), before its last ledger write, is recorded with that
-- release: it is what readers see.
UPDATE runs SET status = 'failed', finished_at = now(), error = ?, error_kind = ?,
       release = CASE WHEN ends_with(?, '-run' || run_id) THEN ? ELSE release END
WHERE run_id = ? AND status = 'running';
