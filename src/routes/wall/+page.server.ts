import { redirect } from '@sveltejs/kit';
import { periodFor } from '$lib/domain/kpi/definitions';
import { kpiPanels, type KpiPanelId } from '$lib/domain/kpi/panels';
import { appPool } from '$lib/server/db';
import { withUser } from '$lib/server/db/pool';
import { authenticateDevice, deviceClaims, WALL_COOKIE } from '$lib/server/kpi/devices';
import { kpiFigures } from '$lib/server/kpi/figures';
import type { PageServerLoad } from './$types';

// The browser keeps at most 400 days of cookie life; the token itself does not expire.
const COOKIE_DAYS = 400;

/**
 * The KPI wall of a device: no person's session is read here. The link an admin created carries
 * the token once; it moves into an httpOnly cookie and out of the address bar. Every load checks
 * the token again, so a revoked device gets the "disconnected" screen at its next refresh.
 */
export const load: PageServerLoad = async ({ url, cookies, depends }) => {
	depends('wall:kpi');
	const pool = await appPool();
	const fromLink = url.searchParams.get('token');
	if (fromLink !== null) {
		if (!(await authenticateDevice(pool, fromLink))) return { state: 'not_connected' as const };
		cookies.set(WALL_COOKIE, fromLink, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: COOKIE_DAYS * 86_400 });
		redirect(303, '/wall');
	}
	const token = cookies.get(WALL_COOKIE);
	const device = await authenticateDevice(pool, token);
	if (!device) return { state: token ? ('revoked' as const) : ('not_connected' as const) };

	return withUser(pool, deviceClaims(device), async (sql) => {
		// "Today" in the time zone of the device's site, or of the organisation's first site.
		const { rows } = await sql.query<{ today: string }>(
			`select (now() at time zone timezone)::date::text as today from public.sites
			 where id in (select private.kpi_site_ids()) order by id = $1 desc, code limit 1`,
			[device.siteId]
		);
		const today = rows[0]?.today ?? new Date().toISOString().slice(0, 10);
		const period = periodFor('today', today);
		const panels = device.panels.filter((p): p is KpiPanelId => (kpiPanels as readonly string[]).includes(p));
		return {
			state: 'live' as const,
			device: { name: device.name, rotateSeconds: device.rotateSeconds, panels },
			...(await kpiFigures(sql, { period, today }, device.siteId))
		};
	});
};
