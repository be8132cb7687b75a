import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { threadsOn } from '$lib/server/threads/service';
import { summariseOrders, type PortalTaskRow } from '../../progress';
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
		const { rows: tasks } = await sql.query(
			`select t.id, t.order_id, t.vehicle_id, t.status,
			        case when $2 = 'en' then sv.name_en else sv.name_fr end as service,
			        v.plate, v.make, v.model, v.status as vehicle_status
			 from public.tasks t
			 join public.vehicles v on v.id = t.vehicle_id
			 join public.services sv on sv.id = t.service_id
			 where t.order_id = $1 and t.status <> 'cancelled'
			 order by v.plate nulls last, t.vehicle_id, sv.name_fr, t.id`,
			[id.data, locale]
		);
		const threads = await threadsOn(
			sql,
			'task',
			tasks.map((t) => t.id)
		);
		return { order: orders[0], tasks, threads };
	});
	if (!found) error(404, m.portal_order_not_found());
	const { order, tasks, threads } = found;
	const progress = summariseOrders(
		tasks.map(
			(t): PortalTaskRow => ({
				orderId: t.order_id,
				vehicleId: t.vehicle_id,
				status: t.status,
				service: t.service,
				plate: t.plate,
				make: t.make,
				model: t.model,
				vehicleStatus: t.vehicle_status
			})
		)
	).get(order.id);
	return {
		order: { id: order.id, reference: order.reference, deadline: order.deadline, siteName: order.site_name },
		done: progress?.done ?? 0,
		total: progress?.total ?? 0,
		vehicles: (progress?.vehicles ?? []).map((v) => ({
			...v,
			tasks: tasks
				.filter((t) => t.vehicle_id === v.id)
				.map((t) => ({
					id: t.id,
					status: t.status as PortalTaskRow['status'],
					service: t.service as string,
					threads: threads
						.filter((th) => th.subjectId === t.id)
						.map((th) => ({ id: th.id, title: th.title, status: th.status, unread: th.unread }))
				}))
		}))
	};
};
