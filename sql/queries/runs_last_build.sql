-- Purpose: the latest run that ended with a live release (built it, or
-- found nothing new and left it), with the fingerprint of what it was built
-- from: a run with the same fingerprint has nothing to rebuild.
SELECT run_id, fingerprint, release
FROM runs
WHERE status IN ('succeeded', 'unchanged') AND fingerprint IS NOT NULL AND release IS NOT NULL
ORDER BY run_id DESC
LIMIT 1;
