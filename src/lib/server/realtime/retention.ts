import type pg from 'pg';
import { asService } from '../db/pool';

/**
 * Prunes the change log every hour (and once at start). Every node may run it: the delete is
 * idempotent, so no leader election is needed.
 */
export function pruneChangeLogPeriodically(pool: pg.Pool, keepHours: number, log: (line: string) => void): () => void {
	const prune = () =>
		asService(pool, (sql) => sql.query<{ pruned: number }>('select private.prune_change_log($1::interval) as pruned', [`${keepHours} hours`]))
			.then(({ rows }) => rows[0].pruned > 0 && log(`[realtime] pruned ${rows[0].pruned} change(s) older than ${keepHours} h`))
			.catch((err: Error) => log(`[realtime] change log pruning failed: ${err.message}`));
	void prune();
	const timer = setInterval(prune, 60 * 60 * 1000);
	timer.unref();
	return () => clearInterval(timer);
}
