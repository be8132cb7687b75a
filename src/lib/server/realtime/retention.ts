import type pg from 'pg';
import { asService } from '../db/pool';

/** How long a phone's action receipt is kept: longer than any phone stays offline. */
const RECEIPTS_KEEP = '7 days';

/**
 * Prunes the change log every hour (and once at start), and the receipts of replayed phone
 * actions (public.action_receipts). Every node may run it: the deletes are idempotent, so no
 * leader election is needed.
 */
export function pruneChangeLogPeriodically(pool: pg.Pool, keepHours: number, log: (line: string) => void): () => void {
	const prune = () =>
		asService(pool, (sql) => sql.query<{ pruned: number }>('select private.prune_change_log($1::interval) as pruned', [`${keepHours} hours`]))
			.then(({ rows }) => rows[0].pruned > 0 && log(`[realtime] pruned ${rows[0].pruned} change(s) older than ${keepHours} h`))
			.then(() => asService(pool, (sql) => sql.query('select private.prune_action_receipts($1::interval)', [RECEIPTS_KEEP])))
			.catch((err: Error) => log(`[realtime] pruning failed: ${err.message}`));
	void prune();
	const timer = setInterval(prune, 60 * 60 * 1000);
	timer.unref();
	return () => clearInterval(timer);
}
