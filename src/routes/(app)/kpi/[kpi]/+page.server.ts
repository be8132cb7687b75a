import { error } from '@sveltejs/kit';
import { kpiDrillDown, type DrillDownKpi } from '$lib/server/kpi/queries';
import { kpiPeriod, kpiRequest } from '../kpis.server';
import type { PageServerLoad } from './$types';

const drillDowns: readonly DrillDownKpi[] = ['vehicles_processed', 'tasks_done', 'overdue_invoices'];

/** The rows behind one figure of the dashboard, for the same period and site. */
export const load: PageServerLoad = async ({ locals, url, params, depends }) => {
	depends('live:tasks', 'live:vehicles', 'live:invoices');
	const kpi = params.kpi as DrillDownKpi;
	if (!drillDowns.includes(kpi)) error(404);
	const { sites, query } = kpiRequest(locals.user!, url);
	return locals.db(async (sql) => {
		const { period } = await kpiPeriod(sql, query, sites);
		return { kpi, query, period, sites: sites.map((s) => ({ id: s.id, code: s.code, name: s.name })), rows: await kpiDrillDown(sql, kpi, period, query.site ?? null) };
	});
};
