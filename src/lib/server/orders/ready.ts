import type { Sql } from '$lib/server/db/pool';

/**
 * Run in the transaction that just completed `taskId`: the id of its order when that completion
 * finished the order's last live task (workflow.ts: every vehicle ready), else null. The lock
 * per order, taken after the update, makes two operators finishing the last two tasks at once
 * check one after the other: the second sees the first's commit, so exactly one of them says ready.
 */
export async function orderMadeReady(sql: Sql, taskId: string): Promise<string | null> {
	const { rows } = await sql.query<{ order_id: string }>(
		`select order_id from public.tasks where id = $1 and status in ('done', 'validated')`,
		[taskId]
	);
	const orderId = rows[0]?.order_id;
	if (!orderId) return null;
	await sql.query(`select pg_advisory_xact_lock(hashtext('orders.ready:' || $1))`, [orderId]);
	const { rows: open } = await sql.query<{ ready: boolean }>(
		`select not exists (select 1 from public.tasks where order_id = $1 and status not in ('done', 'validated', 'cancelled')) as ready`,
		[orderId]
	);
	return open[0].ready ? orderId : null;
}
