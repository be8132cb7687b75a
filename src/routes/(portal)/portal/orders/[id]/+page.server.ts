import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { threadsOn } from '$lib/server/threads/service';
import { portalTasks } from '../../orders.server';
import { summariseOrders } from '../../progress';
import type { PageServerLoad } from './$types';

/**
 * One order as its client sees it: progress per vehicle (the portal's workflow helpers), each
 * task line with its threads. Read as the client, so another account's order is a 404; only
 * what a client may be shown is selected (no prices, no notes, no staff).
 */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:orders', 'live:tasks', 'live:vehicles', 'live:ticket_threads', 'live:ticket_messages');
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404, m.portal_order_not_found());
	const locale = getLocale();
	const found = await locals.db(async (sql) => {
		const { rows: orders } = await sql.query(
			`select o.id, o.reference, o.deadline::text as deadline, o.status, s.name as site_name
			 from public.orders o join public.sites s on s.id = o.site_id where o.id = $1`,
			[id.data]
		);
		if (!orders[0]) return null;
		const tasks = (await portalTasks(sql, [id.data], locale)).filter((t) => t.status !== 'cancelled');
		const threads = await threadsOn(
			sql,
			'task',
			tasks.map((t) => t.id)
		);
		return { order: orders[0], tasks, threads };
	});
	if (!found) error(404, m.portal_order_not_found());
	const { order, tasks, threads } = found;
	const progress = summariseOrders(tasks).get(order.id);
	return {
		order: { id: order.id, reference: order.reference, deadline: order.deadline, siteName: order.site_name },
		done: progress?.done ?? 0,
		total: progress?.total ?? 0,
		vehicles: (progress?.vehicles ?? []).map((v) => ({
			...v,
			tasks: tasks
				.filter((t) => t.vehicleId === v.id)
				.map((t) => ({
					id: t.id,
					status: t.status,
					service: t.service ?? '',
					threads: threads
						.filter((th) => th.subjectId === t.id)
						.map((th) => ({ id: th.id, title: th.title, status: th.status, unread: th.unread }))
				}))
		}))
	};
};
