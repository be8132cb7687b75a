import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type Sql } from '../../../src/lib/server/db/pool';
import { kpiDrillDown, kpiSnapshot, type KpiValues } from '../../../src/lib/server/kpi/queries';
import { createWorld, type Persona, type World } from '../world';
import { kpiRows } from './fixtures';

/**
 * November 2026 (Europe/Paris, UTC+1 all month; 21 Monday-to-Friday days) at hub and hub2, with
 * rows just outside the period on both sides. Every expected figure is worked out by hand below.
 */
let world: World;
const november = { start: '2026-11-01', end: '2026-11-30' };
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const { vehicle, tasksAt, invoices } = kpiRows(() => world);
const teams = { hub: randomUUID(), hub2: randomUUID() };
let x3: string;

async function transfer(from: string, to: string, status: string, createdAt: string): Promise<string> {
	const v = await vehicle(from, null, null);
	const { rows } = await q(
		`insert into public.transfers (organisation_id, vehicle_id, from_site_id, to_site_id, status, reason, created_at)
		 values ($1, $2, $3, $4, $5, 'KPI', $6) returning id`,
		[world.orgId, v, from, to, status, createdAt]
	);
	return rows[0].id;
}

async function thread(site: string, status: string, awaitingSince: string | null): Promise<void> {
	await q(
		`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title, status, awaiting_since)
		 values ($1, $2, 'vehicle', $3, 'Question', $4, $5)`,
		[site, world.clients.acme, randomUUID(), status, awaitingSince]
	);
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub, hub2, dealer } = world.sites;

	// hub vehicles: 12 h, 30 h, 96 h, one without arrival time; two just outside November.
	await vehicle(hub, '2026-11-02 08:00+01', '2026-11-02 20:00+01');
	await vehicle(hub, '2026-11-03 08:00+01', '2026-11-04 14:00+01');
	await vehicle(hub, '2026-11-05 08:00+01', '2026-11-09 08:00+01');
	await vehicle(hub, null, '2026-11-10 10:00+01');
	await vehicle(hub, '2026-11-28 08:00+01', '2026-12-01 00:30+01'); // 2026-11-30 23:30 UTC: December in Paris
	await vehicle(hub, '2026-10-20 08:00+02', '2026-10-31 23:30+01');
	// hub2 vehicles: 192 h and 60 h.
	await vehicle(hub2, '2026-11-01 00:00+01', '2026-11-09 00:00+01');
	await vehicle(hub2, '2026-11-10 00:00+01', '2026-11-12 12:00+01');

	await q(`insert into public.teams (id, site_id, name, daily_capacity_minutes) values ($1, $2, 'Lavage A', 480), ($3, $4, 'Lavage B', 240)`, [
		teams.hub,
		hub,
		teams.hub2,
		hub2
	]);
	await tasksAt(hub, teams.hub, [
		['2026-11-02', 60, 'done'],
		['2026-11-03', 90, 'validated'],
		['2026-11-04', 120, 'planned'],
		['2026-11-05', 30, 'cancelled'],
		['2026-12-01', 30, 'done']
	]);
	await tasksAt(hub, null, [['2026-11-06', 45, 'in_progress']]);
	await tasksAt(hub2, teams.hub2, [
		['2026-11-10', 100, 'done'],
		['2026-11-11', 50, 'todo']
	]);

	await invoices(hub, [
		{ number: 'F-H-1', status: 'issued', issuedOn: '2026-11-05', dueOn: '2026-12-05', net: 100_000 },
		{ number: 'A-H-1', kind: 'credit_note', credits: 'F-H-1', status: 'issued', issuedOn: '2026-11-20', dueOn: '2026-12-20', net: 20_000 },
		{ number: 'F-H-2', status: 'overdue', issuedOn: '2026-09-01', dueOn: '2026-10-01', net: 50_000 },
		{ number: 'F-H-3', status: 'sent', issuedOn: '2026-10-15', dueOn: '2026-11-14', net: 10_000 },
		{ number: 'F-H-4', status: 'draft', issuedOn: null, dueOn: null, net: 99_999 },
		{ number: 'F-H-5', status: 'issued', issuedOn: '2026-12-02', dueOn: '2026-11-01', net: 7_000 }
	]);
	await invoices(hub2, [
		{ number: 'F-B-1', status: 'paid', issuedOn: '2026-11-10', dueOn: '2026-12-10', net: 30_000 },
		{ number: 'F-B-2', status: 'issued', issuedOn: '2026-10-01', dueOn: '2026-10-31', net: 5_000 }
	]);

	await transfer(hub, hub2, 'in_transit', '2026-11-20 10:00+01'); // X1: open
	await transfer(hub, hub2, 'received', '2026-11-05 10:00+01'); // X2: closed
	x3 = await transfer(hub2, hub, 'received', '2026-11-25 10:00+01'); // X3: received only in December
	await q(
		`insert into public.transfer_events (transfer_id, from_site_id, to_site_id, status, occurred_at)
		 values ($1, $2, $3, 'requested', '2026-11-25 10:00+01'), ($1, $2, $3, 'received', '2026-12-02 10:00+01')`,
		[x3, hub2, hub]
	);
	await transfer(hub, dealer, 'requested', '2026-12-03 10:00+01'); // X4: after the period
	await transfer(hub2, dealer, 'approved', '2026-11-01 10:00+01'); // X5: open

	// Response target: 240 min by default. The period ends 2026-12-01 00:00+01, already past.
	await thread(hub, 'open', '2026-11-10 09:00+01'); // overdue
	await thread(hub, 'resolved', '2026-11-10 09:00+01'); // resolved
	await thread(hub, 'open', '2026-11-30 23:00+01'); // waited 1 h at the end
	await thread(hub, 'pending', null); // nobody waits
	await thread(hub2, 'open', '2026-11-20 09:00+01'); // overdue
});

const noTeams = [] as KpiValues['workload'];
// hub: processed 4; average (12 + 30 + 96) / 3 = 46 h (the vehicle without arrival is left out);
// planned = 60 + 90 + 120 (team) + 45 (no team) → 4 tasks, done = done + validated = 2;
// team A: 270 min against 480 × 21 = 10 080 → 270 / 10 080 = 2.678… %;
// revenue 100 000 − 20 000 = 80 000 (F-H-5 issued in December, the draft never);
// overdue: F-H-2 (status) + F-H-3 (sent, due 14/11) → 2, gross 60 000 + 12 000 = 72 000;
// open transfers X1 and X3 → 2; overdue tickets 1.
const hubValues = {
	vehicles_processed: 4,
	immobilisation_hours: 46,
	immobilisation_distribution: { lt_24h: 1, h24_48: 1, h48_72: 0, d3_7: 1, gte_7d: 0 },
	tasks_planned: 4,
	tasks_done: 2,
	revenue_cents: 80_000,
	overdue_invoices: { count: 2, amountCents: 72_000 },
	open_transfers: 2,
	overdue_tickets: 1
};
// hub2: processed 2, average (192 + 60) / 2 = 126 h; planned 2, done 1; team B 150 / (240 × 21 = 5 040);
// revenue 30 000 (paid still counts); overdue F-B-2 → 1, gross 6 000; transfers X1, X3, X5 → 3; tickets 1.
const hub2Values = {
	vehicles_processed: 2,
	immobilisation_hours: 126,
	immobilisation_distribution: { lt_24h: 0, h24_48: 0, h48_72: 1, d3_7: 0, gte_7d: 1 },
	tasks_planned: 2,
	tasks_done: 1,
	revenue_cents: 30_000,
	overdue_invoices: { count: 1, amountCents: 6_000 },
	open_transfers: 3,
	overdue_tickets: 1
};

describe('kpiSnapshot', () => {
	it('gives the director every site and the consolidated figures', async () => {
		const snap = await as('director', (sql) => kpiSnapshot(sql, november, null));
		expect(snap.workingDays).toBe(21);
		expect(snap.sites.map((s) => s.code)).toEqual(['CON-A', 'HUB-A', 'HUB-B']);
		const [dealer, hub, hub2] = snap.sites;
		expect(hub.values).toMatchObject(hubValues);
		expect(hub2.values).toMatchObject(hub2Values);
		expect(hub.values.workload).toEqual([
			{ teamId: teams.hub, siteId: world.sites.hub, name: 'Lavage A', plannedMinutes: 270, capacityMinutes: 10_080, percent: (100 * 270) / 10_080 }
		]);
		expect(hub2.values.workload).toEqual([
			{ teamId: teams.hub2, siteId: world.sites.hub2, name: 'Lavage B', plannedMinutes: 150, capacityMinutes: 5_040, percent: (100 * 150) / 5_040 }
		]);
		// The dealer site only has X5 coming in.
		expect(dealer.values).toMatchObject({ vehicles_processed: 0, immobilisation_hours: null, tasks_planned: 0, revenue_cents: 0, open_transfers: 1, workload: noTeams });
		// Consolidated: 6 vehicles, average (12 + 30 + 96 + 192 + 60) / 5 = 78 h; one vehicle per bucket;
		// tasks 6 / 3; revenue 110 000; overdue 3 for 78 000; transfers X1, X3, X5 once each → 3; tickets 2.
		expect(snap.consolidated).toMatchObject({
			vehicles_processed: 6,
			immobilisation_hours: 78,
			immobilisation_distribution: { lt_24h: 1, h24_48: 1, h48_72: 1, d3_7: 1, gte_7d: 1 },
			tasks_planned: 6,
			tasks_done: 3,
			revenue_cents: 110_000,
			overdue_invoices: { count: 3, amountCents: 78_000 },
			open_transfers: 3,
			overdue_tickets: 2
		});
		expect(snap.consolidated!.workload.map((w) => w.name)).toEqual(['Lavage A', 'Lavage B']);
	});

	it('gives the site manager exactly what the director sees filtered to the hub', async () => {
		const manager = await as('site_manager', (sql) => kpiSnapshot(sql, november, null));
		const director = await as('director', (sql) => kpiSnapshot(sql, november, world.sites.hub));
		expect(manager).toEqual(director);
		expect(manager.sites.map((s) => s.siteId)).toEqual([world.sites.hub]);
		expect(manager.consolidated).toEqual(manager.sites[0].values);
		// Another site is not the manager's to filter to.
		expect(await as('site_manager', (sql) => kpiSnapshot(sql, november, world.sites.hub2))).toMatchObject({ sites: [], consolidated: null });
	});

	it('gives people who do not manage a site no figures', async () => {
		for (const who of ['operator', 'team_lead', 'csm', 'sales', 'operator_other_site'] as const) {
			expect(await as(who, (sql) => kpiSnapshot(sql, november, null)), who).toMatchObject({ sites: [], consolidated: null });
		}
	});

	it('gives a client and another organisation nothing of ours', async () => {
		for (const who of ['client', 'driver'] as const) {
			const snap = await as(who, (sql) => kpiSnapshot(sql, november, null));
			expect(snap, who).toMatchObject({ sites: [], consolidated: null });
		}
		// The other organisation's admin sees their own (empty) site, never ours, even when asking for it.
		const other = await as('admin_other_org', (sql) => kpiSnapshot(sql, november, null));
		expect(other.sites.map((s) => s.siteId)).toEqual([world.sites.otherOrg]);
		expect(other.consolidated).toMatchObject({ vehicles_processed: 0, tasks_planned: 0, revenue_cents: 0, open_transfers: 0, overdue_tickets: 0 });
		for (const who of ['client', 'driver', 'admin_other_org'] as const) {
			expect(await as(who, (sql) => kpiSnapshot(sql, november, world.sites.hub)), who).toMatchObject({ sites: [], consolidated: null });
		}
	});

	it('sees the transfer X3 open at the end of November although it is received now', async () => {
		const october = await as('director', (sql) => kpiSnapshot(sql, { start: '2026-10-02', end: '2026-10-31' }, null));
		// October: only the vehicle ready on 31/10 23:30 (+01) at hub; no transfer requested yet.
		expect(october.consolidated).toMatchObject({ vehicles_processed: 1, open_transfers: 0 });
		const december = await as('director', (sql) => kpiSnapshot(sql, { start: '2026-12-01', end: '2026-12-31' }, null));
		// December (running): X1, X5 still open, X3 received on 02/12, X4 requested on 03/12 → 3.
		expect(december.consolidated).toMatchObject({ open_transfers: 3 });
	});

	it('refuses a period that ends before it starts', async () => {
		await expect(as('director', (sql) => kpiSnapshot(sql, { start: '2026-11-30', end: '2026-11-01' }, null))).rejects.toThrow(RangeError);
	});
});

describe('kpiDrillDown', () => {
	it('lists the rows behind the figures, as many as counted', async () => {
		const hub = world.sites.hub;
		const rows = async (who: Persona, kpi: 'vehicles_processed' | 'tasks_done' | 'overdue_invoices', site: string | null) =>
			as(who, (sql) => kpiDrillDown(sql, kpi, november, site));
		expect(await rows('director', 'vehicles_processed', hub)).toHaveLength(4);
		expect(await rows('director', 'vehicles_processed', null)).toHaveLength(6);
		expect(await rows('director', 'tasks_done', hub)).toHaveLength(2);
		expect(await rows('director', 'tasks_done', null)).toHaveLength(3);
		const overdue = await rows('director', 'overdue_invoices', null);
		expect(overdue.map((r) => r.label.split(' — ')[0]).sort()).toEqual(['F-B-2', 'F-H-2', 'F-H-3']);
		expect(await rows('site_manager', 'overdue_invoices', null)).toEqual(overdue.filter((r) => r.siteId === hub));
		expect(await rows('operator_other_site', 'vehicles_processed', null)).toEqual([]);
		expect(await rows('client', 'vehicles_processed', null)).toEqual([]);
		expect(await rows('admin_other_org', 'tasks_done', hub)).toEqual([]);
	});
});

describe('daily aggregates', () => {
	const sites = () => Object.values(world.sites);
	const aggregates = async () => ({
		vehicles: (await q(`select * from public.kpi_vehicle_days where site_id = any ($1) and processed <> 0 order by site_id, day`, [sites()])).rows,
		tasks: (await q(`select * from public.kpi_task_days where site_id = any ($1) and planned <> 0 order by site_id, day, team_id`, [sites()])).rows,
		invoices: (await q(`select * from public.kpi_invoice_days where site_id = any ($1) and revenue_cents <> 0 order by site_id, day`, [sites()])).rows
	});

	it('kept by the triggers through inserts, moves, status changes and deletes, equal a rebuild from the rows', async () => {
		const { hub, hub2 } = world.sites;
		const before = await aggregates();
		// A vehicle becomes ready later, another loses its arrival time, a new one is processed.
		await q(`update public.vehicles set ready_at = ready_at + interval '3 days' where id = (select id from public.vehicles where site_id = $1 and ready_at is not null order by ready_at limit 1)`, [hub]);
		await q(`update public.vehicles set arrived_at = null where id = (select id from public.vehicles where site_id = $1 and arrived_at is not null order by ready_at desc limit 1)`, [hub2]);
		await vehicle(hub2, '2026-11-20 08:00+01', '2026-11-20 10:00+01');
		// Tasks: one done, one moved a day and to no team, one cancelled, one deleted, in one statement each.
		const ids = (await q(`select id from public.tasks where site_id = any ($1) and planned_on is not null order by planned_on, id`, [[hub, hub2]])).rows.map((r) => r.id);
		expect(ids.length).toBeGreaterThanOrEqual(4);
		await q(`update public.tasks set status = 'done' where id = $1`, [ids[0]]);
		await q(`update public.tasks set planned_on = planned_on + 1, team_id = null where id = $1`, [ids[1]]);
		await q(`update public.tasks set status = 'cancelled' where id = $1`, [ids[2]]);
		await q(`delete from public.tasks where id = $1`, [ids[3]]);
		const after = await aggregates();
		expect(after).not.toEqual(before);
		await q('select private.kpi_rebuild($1)', [sites()]);
		expect(await aggregates()).toEqual(after);
	});
});
