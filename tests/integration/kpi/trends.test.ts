import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import { kpiTrend, type TrendPoint } from '../../../src/lib/server/kpi/trends';
import { createWorld, type Persona, type World } from '../world';
import { kpiRows } from './fixtures';

/**
 * Three ISO weeks of November 2026 (Europe/Paris, UTC+1): 2–8, 9–15 and 16–22, asked for with
 * `end` on Wednesday 18, with rows just outside on both sides. Every expected point is worked
 * out by hand below.
 */
let world: World;
const range = { weeks: 3, end: '2026-11-18' };
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const { vehicle, tasksAt, invoices } = kpiRows(() => world);

/** A wall device of the organisation, and the claims its queries run with. */
async function device(showsMoney: boolean): Promise<JwtClaims> {
	const { rows } = await q(
		`insert into public.kpi_devices (organisation_id, name, token_hash, shows_money, panels) values ($1, 'TV', $2, $3, '{trends}') returning id`,
		[world.orgId, randomBytes(32).toString('hex'), showsMoney]
	);
	return { sub: rows[0].id, role: 'authenticated', relais_device: true };
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub, hub2 } = world.sites;

	await vehicle(hub, '2026-11-02 08:00+01', '2026-11-02 20:00+01'); // week 1, 12 h
	await vehicle(hub, '2026-11-03 08:00+01', '2026-11-04 14:00+01'); // week 1, 30 h
	await vehicle(hub, null, '2026-11-10 10:00+01'); // week 2, no arrival time
	await vehicle(hub, '2026-11-15 12:30+00', '2026-11-15 23:30+00'); // Monday 16 00:30 in Paris: week 3, 11 h
	await vehicle(hub, '2026-11-20 23:30+01', '2026-11-22 23:30+01'); // Sunday 22: week 3, 48 h
	await vehicle(hub, '2026-11-22 08:00+01', '2026-11-23 00:30+01'); // Monday 23: after
	await vehicle(hub, '2026-11-01 08:00+01', '2026-11-01 23:30+01'); // Sunday 1: before
	await vehicle(hub2, '2026-11-09 00:00+01', '2026-11-12 12:00+01'); // week 2, 84 h

	await tasksAt(hub, null, [
		['2026-11-01', 30, 'done'], // before
		['2026-11-02', 30, 'done'],
		['2026-11-06', 30, 'planned'],
		['2026-11-08', 30, 'validated'], // Sunday: still week 1
		['2026-11-16', 30, 'cancelled'],
		['2026-11-22', 30, 'todo'],
		['2026-11-23', 30, 'done'] // after
	]);
	await tasksAt(hub2, null, [['2026-11-10', 30, 'done']]);

	await invoices(hub, [
		{ number: 'F-T-1', status: 'issued', issuedOn: '2026-11-05', net: 100_000 },
		{ number: 'A-T-1', kind: 'credit_note', credits: 'F-T-1', status: 'issued', issuedOn: '2026-11-17', net: 20_000 },
		{ number: 'F-T-2', status: 'draft', issuedOn: null, net: 99_999 },
		{ number: 'F-T-3', status: 'issued', issuedOn: '2026-11-23', net: 7_000 }
	]);
	await invoices(hub2, [{ number: 'F-T-4', status: 'paid', issuedOn: '2026-11-10', net: 30_000 }]);
});

const zero: TrendPoint = { vehiclesProcessed: 0, immobilisationHours: null, tasksPlanned: 0, tasksDone: 0, revenueCents: 0 };
// hub: week 1: 2 vehicles, (12 + 30) / 2 = 21 h; tasks 2/11, 6/11, 8/11 → 3 planned, 2 done; revenue 100 000.
// week 2: 1 vehicle without arrival → no average. week 3: 11 h and 48 h → 29.5 h; the cancelled task is
// left out → 1 planned, 0 done; the credit note → −20 000.
const hubPoints: TrendPoint[] = [
	{ vehiclesProcessed: 2, immobilisationHours: 21, tasksPlanned: 3, tasksDone: 2, revenueCents: 100_000 },
	{ vehiclesProcessed: 1, immobilisationHours: null, tasksPlanned: 0, tasksDone: 0, revenueCents: 0 },
	{ vehiclesProcessed: 2, immobilisationHours: 29.5, tasksPlanned: 1, tasksDone: 0, revenueCents: -20_000 }
];
// hub2: week 2 only: 84 h, 1 task done, 30 000 (paid still counts).
const hub2Points: TrendPoint[] = [zero, { vehiclesProcessed: 1, immobilisationHours: 84, tasksPlanned: 1, tasksDone: 1, revenueCents: 30_000 }, zero];
// Consolidated: week 2 has 2 vehicles but one arrival time: 84 / 1 = 84 h, not the average of averages.
const consolidated: TrendPoint[] = [
	hubPoints[0],
	{ vehiclesProcessed: 2, immobilisationHours: 84, tasksPlanned: 1, tasksDone: 1, revenueCents: 30_000 },
	hubPoints[2]
];

describe('kpiTrend', () => {
	it('gives the director each week per site and consolidated, zeros for quiet weeks', async () => {
		const trend = await as('director', (sql) => kpiTrend(sql, range, null));
		expect(trend.weeks).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
		expect(trend.sites.map((s) => s.code)).toEqual(['CON-A', 'HUB-A', 'HUB-B']);
		const [dealer, hub, hub2] = trend.sites;
		expect(dealer.points).toEqual([zero, zero, zero]);
		expect(hub.points).toEqual(hubPoints);
		expect(hub2.points).toEqual(hub2Points);
		expect(trend.consolidated).toEqual(consolidated);
	});

	it('ends with the week of `end` whatever its weekday', async () => {
		const sunday = await as('director', (sql) => kpiTrend(sql, { weeks: 1, end: '2026-11-22' }, world.sites.hub));
		const monday = await as('director', (sql) => kpiTrend(sql, { weeks: 1, end: '2026-11-16' }, world.sites.hub));
		expect(sunday).toEqual(monday);
		expect(sunday.weeks).toEqual(['2026-11-16']);
		expect(sunday.consolidated).toEqual([hubPoints[2]]);
	});

	it('gives the site manager exactly what the director sees filtered to the hub', async () => {
		const manager = await as('site_manager', (sql) => kpiTrend(sql, range, null));
		const director = await as('director', (sql) => kpiTrend(sql, range, world.sites.hub));
		expect(manager).toEqual(director);
		expect(manager.sites.map((s) => s.siteId)).toEqual([world.sites.hub]);
		expect(manager.consolidated).toEqual(hubPoints);
		expect(await as('site_manager', (sql) => kpiTrend(sql, range, world.sites.hub2))).toMatchObject({ sites: [], consolidated: null });
	});

	it('gives people without KPIs, clients and another organisation nothing of ours', async () => {
		for (const who of ['operator', 'team_lead', 'csm', 'sales', 'driver', 'client'] as const) {
			expect(await as(who, (sql) => kpiTrend(sql, range, null)), who).toEqual({ weeks: expect.any(Array), sites: [], consolidated: null });
		}
		const other = await as('admin_other_org', (sql) => kpiTrend(sql, range, null));
		expect(other.sites.map((s) => s.siteId)).toEqual([world.sites.otherOrg]);
		expect(other.consolidated).toEqual([zero, zero, zero]);
		expect(await as('admin_other_org', (sql) => kpiTrend(sql, range, world.sites.hub))).toMatchObject({ sites: [], consolidated: null });
	});

	it('leaves revenue out for a wall device not allowed to show money', async () => {
		const withoutMoney = await withUser(world.pool, await device(false), (sql) => kpiTrend(sql, range, world.sites.hub));
		expect(withoutMoney.consolidated).toEqual(hubPoints.map((p) => ({ ...p, revenueCents: null })));
		const withMoney = await withUser(world.pool, await device(true), (sql) => kpiTrend(sql, range, world.sites.hub));
		expect(withMoney.consolidated).toEqual(hubPoints);
	});

	it('refuses a malformed range or site', async () => {
		await expect(as('director', (sql) => kpiTrend(sql, { weeks: 0, end: '2026-11-18' }, null))).rejects.toThrow(RangeError);
		await expect(as('director', (sql) => kpiTrend(sql, { weeks: 3, end: '18/11/2026' }, null))).rejects.toThrow(RangeError);
		await expect(as('director', (sql) => kpiTrend(sql, range, 'hub'))).rejects.toThrow(RangeError);
	});
});
