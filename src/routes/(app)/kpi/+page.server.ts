import { kpiFigures } from '$lib/server/kpi/figures';
import { kpiPeriod, kpiRequest } from './kpis.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	// Any change behind a figure re-runs this load (pushed over the live channel, not polled).
	depends('live:tasks', 'live:vehicles', 'live:invoices', 'live:transfers', 'live:ticket_threads', 'live:teams');
	const { sites, query } = kpiRequest(locals.user!, url);
	return locals.db(async (sql) => {
		const days = await kpiPeriod(sql, query, sites);
		return { query, sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })), ...(await kpiFigures(sql, days, query.site ?? null)) };
	});
};
