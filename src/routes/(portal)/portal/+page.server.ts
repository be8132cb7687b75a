import { getLocale } from '$lib/paraglide/runtime';
import { openOrders } from './orders.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('live:orders', 'live:tasks', 'live:vehicles');
	return { orders: await locals.db((sql) => openOrders(sql, getLocale())) };
};
