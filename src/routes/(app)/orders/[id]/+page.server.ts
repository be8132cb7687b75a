import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { readOrder, readOrderVehicles } from './order.server';
import type { PageServerLoad } from './$types';

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const idSchema = z.guid();

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:tasks', 'live:vehicles', 'live:movements', 'live:orders');
	const id = idSchema.safeParse(params.id);
	if (!id.success) error(404, m.order_page_not_found());

	const found = await locals.db(async (sql) => {
		const order = await readOrder(sql, id.data);
		return order ? { order, vehicles: await readOrderVehicles(sql, order.id, getLocale()) } : null;
	});
	// Not visible under row-level security and not existing look the same, on purpose.
	if (!found) error(404, m.order_page_not_found());
	return found;
};
