import { error } from '@sveltejs/kit';
import type { Period } from '$lib/domain/kpi/definitions';
import type { IsoDate } from '$lib/domain/planning/task';
import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { SessionUser } from '$lib/server/auth/session-user';
import type { Sql } from '$lib/server/db/pool';
import { siteToday } from '$lib/server/prices/price-list';
import { parseKpiQuery, resolvePeriod, type KpiQuery } from './query';

/** Who reads KPIs: the roles `private.kpi_site_ids()` lets through, which the database enforces anyway. */
const KPI_ROLES: readonly AppRole[] = ['site_manager', 'director', 'admin'];

/**
 * The sites whose KPIs the person reads and the query of the URL, or the error page: 403 for
 * someone without KPIs or asking for another site, 400 with the reason for a bad query.
 */
export function kpiRequest(user: SessionUser, url: URL): { sites: SessionUser['sites']; query: KpiQuery } {
	const sites = user.sites.filter((s) => holdsRoleAt(user.roles, s.id, KPI_ROLES));
	if (sites.length === 0) error(403, m.kpi_forbidden());
	const parsed = parseKpiQuery(url.searchParams, getLocale());
	if (!parsed.ok) error(400, Object.values(parsed.errors).flat().join(' '));
	if (parsed.query.site && !sites.some((s) => s.id === parsed.query.site)) error(403, m.kpi_forbidden_site());
	return { sites, query: parsed.query };
}

/** The query's period and today, the day at the site asked for (or the first one readable). */
export async function kpiPeriod(sql: Sql, query: KpiQuery, sites: SessionUser['sites']): Promise<{ period: Period; today: IsoDate }> {
	const today = (await siteToday(sql, query.site ?? sites[0].id)) ?? new Date().toISOString().slice(0, 10);
	return { period: resolvePeriod(query, today), today };
}
