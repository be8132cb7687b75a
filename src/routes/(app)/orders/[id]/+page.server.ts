import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { threadsOn } from '$lib/server/threads/service';
import { orderHistory } from '$lib/server/audit';
import { readOrder, readOrderVehicles } from './order.server';
import type { PageServerLoad } from './$types';

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const idSchema = z.guid();

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:tasks', 'live:vehicles', 'live:movements', 'live:orders', 'live:ticket_threads', 'live:ticket_messages');
	const id = idSchema.safeParse(params.id);
	if (!id.success) error(404, m.order_page_not_found());

	const found = await locals.db(async (sql) => {
		const order = await readOrder(sql, id.data);
		if (!order) return null;
		const vehicles = await readOrderVehicles(sql, order.id, getLocale());
		// Each task line shows how many threads discuss it and whether any is unread.
		const taskIds = vehicles.flatMap((v) => v.tasks.map((t) => t.id));
		const threads = await threadsOn(sql, 'task', taskIds);
		const taskThreads: Record<string, { count: number; unread: number; latest: string }> = {};
		for (const t of threads) {
			const entry = (taskThreads[t.subjectId] ??= { count: 0, unread: 0, latest: t.id });
			entry.count += 1;
			entry.unread += t.unread;
		}
		// Who changed the order and its tasks, and why (empty for those the audit policy does not let read).
		const history = await orderHistory(sql, order.id, taskIds);
		return { order, vehicles, taskThreads, history };
	});
	// Not visible under row-level security and not existing look the same, on purpose.
	if (!found) error(404, m.order_page_not_found());
	return found;
};
