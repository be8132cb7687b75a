import type { Sql } from '../db/pool';

/**
 * Runs an action once per idempotency key of the signed-in user (public.action_receipts), inside
 * the caller's transaction. The receipt is claimed before the action runs: a replay of the same
 * submission (a phone resending its queue after a dropped answer) waits for the first run to
 * commit, then gets the first run's answer back instead of acting twice. If the first run rolled
 * back, its receipt went with it and the replay acts.
 *
 * Without a key (a plain browser submission), the action simply runs.
 */
export async function once<T>(sql: Sql, key: string | undefined, action: string, run: () => Promise<T>): Promise<{ replayed: boolean; result: T }> {
	if (!key) return { replayed: false, result: await run() };
	const claimed = await sql.query(
		`insert into public.action_receipts (idempotency_key, action) values ($1, $2)
		 on conflict (user_id, idempotency_key) do nothing returning idempotency_key`,
		[key, action]
	);
	if (!claimed.rowCount) {
		const { rows } = await sql.query<{ result: T }>(
			`select result from public.action_receipts where user_id = auth.uid() and idempotency_key = $1`,
			[key]
		);
		return { replayed: true, result: rows[0].result };
	}
	const result = await run();
	await sql.query(`update public.action_receipts set result = $2 where user_id = auth.uid() and idempotency_key = $1`, [key, JSON.stringify(result)]);
	return { replayed: false, result };
}
