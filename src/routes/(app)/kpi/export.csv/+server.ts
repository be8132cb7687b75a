import { error } from '@sveltejs/kit';
import { kpiPanels, type KpiPanelId } from '$lib/domain/kpi/panels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { fileResponse } from '$lib/server/file-response';
import { panelCsv } from '../csv';
import { kpiFigures } from '$lib/server/kpi/figures';
import { kpiPeriod, kpiRequest } from '../kpis.server';
import type { RequestHandler } from './$types';

/** One panel's figures for the dashboard's query (`?panel=…&period=…&site=…`), as CSV, read as the person. */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) error(401);
	const panel = url.searchParams.get('panel');
	if (!kpiPanels.includes(panel as KpiPanelId)) error(400, m.kpi_error_panel());
	const { sites, query } = kpiRequest(locals.user, url);
	const figures = await locals.db(async (sql) => kpiFigures(sql, await kpiPeriod(sql, query, sites), query.site ?? null));
	const locale = getLocale();
	const site = query.site ? sites.find((s) => s.id === query.site)!.code : locale === 'en' ? 'all-sites' : 'tous-sites';
	return fileResponse(panelCsv({ panel: panel as KpiPanelId, data: figures, locale }), {
		contentType: 'text/csv; charset=utf-8',
		fileName: `kpi-${panel}-${site}-${figures.period.start}-${figures.period.end}.csv`,
		disposition: 'attachment'
	});
};
