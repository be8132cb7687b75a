import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { WallServerToClientEvents } from '../../../src/lib/realtime/events';
import { closePools, withUser, type Sql } from '../../../src/lib/server/db/pool';
import { authenticateDevice, createDevice, deviceClaims, revokeDevice, type NewDevice, type WallDevice } from '../../../src/lib/server/kpi/devices';
import { kpiSnapshot } from '../../../src/lib/server/kpi/queries';
import { ORIGIN, startNode, waitFor, type Node } from '../realtime/helpers';
import { createWorld, testVin, type Persona, type World } from '../world';

/** Wall devices: created and revoked by admins, reading KPI aggregates of their scope only, live on `/wall`. */
let world: World;
let node: Node;
const period = { start: '2026-12-01', end: '2026-12-31' };
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const hubScreen: NewDevice = { name: 'Hub TV', siteId: null, panels: ['headline'], rotateSeconds: 20, showsMoney: false };

async function device(input: Partial<NewDevice>): Promise<{ id: string; token: string; device: WallDevice }> {
	const created = await as('admin', (sql) => createDevice(sql, { ...hubScreen, ...input }));
	return { ...created, device: (await authenticateDevice(world.pool, created.token))! };
}

let taskSeq = 0;
async function task(site: string, status = 'planned'): Promise<string> {
	taskSeq += 1;
	const vehicle = await q(`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Dacia', 'Spring', 'electric') returning id`, [
		world.orgId,
		site,
		testVin()
	]);
	const service = await q(
		`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp) values ($1, $2, 'Lavage', 'Wash', 'wash', 30, 2000) returning id`,
		[site, `W${taskSeq}`]
	);
	const order = await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, $3, '2026-12-31') returning id`, [
		site,
		world.clients.acme,
		`CMD-DEV-${taskSeq}`
	]);
	const { rows } = await q(
		`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, planned_on, estimated_minutes, price_cents, status)
		 values ($1, $2, $3, $4, $5, '2026-12-03', 30, 1000, $6) returning id`,
		[site, world.clients.acme, order.rows[0].id, vehicle.rows[0].id, service.rows[0].id, status]
	);
	return rows[0].id;
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool);
	await task(world.sites.hub, 'done');
	await task(world.sites.hub);
	await task(world.sites.hub2, 'done');
});
afterAll(async () => {
	await node.close();
	await closePools();
});

describe('wall devices', () => {
	it('are created by admins only, with a token whose hash alone is stored', async () => {
		const { id, token } = await as('admin', (sql) => createDevice(sql, { ...hubScreen, siteId: world.sites.hub }));
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const stored = await q(`select token_hash from public.kpi_devices where id = $1`, [id]);
		expect(stored.rows[0].token_hash).not.toContain(token);
		expect(await authenticateDevice(world.pool, token)).toMatchObject({ id, siteId: world.sites.hub, organisationId: world.orgId });
		expect(await authenticateDevice(world.pool, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
		expect(await authenticateDevice(world.pool, 'not a token')).toBeNull();
		for (const who of ['site_manager', 'director', 'operator', 'client'] as const) {
			await expect(as(who, (sql) => createDevice(sql, hubScreen)), who).rejects.toThrow(/row-level security/);
		}
		// Another organisation's site cannot be the scope of ours.
		await expect(as('admin', (sql) => createDevice(sql, { ...hubScreen, siteId: world.sites.otherOrg }))).rejects.toThrow(/row-level security/);
	});

	it("read exactly the KPIs of their site, without money unless allowed, and no row behind them", async () => {
		const site = await device({ siteId: world.sites.hub });
		const asDevice = <T>(d: { device: WallDevice }, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, deviceClaims(d.device), fn);
		const seen = await asDevice(site, (sql) => kpiSnapshot(sql, period, null));
		const director = await as('director', (sql) => kpiSnapshot(sql, period, world.sites.hub));
		expect(seen.sites.map((s) => s.siteId)).toEqual([world.sites.hub]);
		expect(seen.consolidated).toEqual({ ...director.consolidated, revenue_cents: null, overdue_invoices: null, pipeline_value_cents: null });
		expect(seen.consolidated).toMatchObject({ tasks_planned: 2, tasks_done: 1 });
		// Asking for another site gives nothing.
		expect(await asDevice(site, (sql) => kpiSnapshot(sql, period, world.sites.hub2))).toMatchObject({ sites: [] });
		// The rows themselves stay out of reach.
		for (const table of ['vehicles', 'tasks', 'invoices', 'orders', 'teams', 'profiles', 'kpi_devices']) {
			const { rows } = await asDevice(site, (sql) => sql.query(`select count(*)::int as n from public.${table}`));
			expect(rows[0].n, table).toBe(0);
		}

		const org = await device({ siteId: null, showsMoney: true });
		const all = await asDevice(org, (sql) => kpiSnapshot(sql, period, null));
		expect(all.sites.map((s) => s.siteId).sort()).toEqual([world.sites.dealer, world.sites.hub, world.sites.hub2].sort());
		expect(all.consolidated).toEqual((await as('director', (sql) => kpiSnapshot(sql, period, null))).consolidated);
	});

	it('lose everything once revoked, and a person cannot pass for a device', async () => {
		const site = await device({ siteId: world.sites.hub });
		expect(await as('site_manager', (sql) => revokeDevice(sql, site.id))).toBe(false);
		expect(await as('admin', (sql) => revokeDevice(sql, site.id))).toBe(true);
		expect(await as('admin', (sql) => revokeDevice(sql, site.id))).toBe(false);
		expect(await authenticateDevice(world.pool, site.token)).toBeNull();
		expect(await withUser(world.pool, deviceClaims(site.device), (sql) => kpiSnapshot(sql, period, null))).toMatchObject({ sites: [] });
		// A person's claims naming a live device's id but without the device marker read nothing.
		const live = await device({ siteId: world.sites.hub });
		expect(await withUser(world.pool, { sub: live.id, role: 'authenticated' }, (sql) => kpiSnapshot(sql, period, null))).toMatchObject({ sites: [] });
	});
});

describe('what an admin may do to a device', () => {
	it('never chooses its id (device claims carry it) nor its author, and a revocation is final', async () => {
		const { id } = await as('admin', (sql) => createDevice(sql, hubScreen));
		const director = world.people.director.id;
		const insert = (columns: string, values: string) =>
			as('admin', (sql) =>
				sql.query(
					`insert into public.kpi_devices (organisation_id, name, token_hash, panels, ${columns})
					 values ($1, 'Forged', repeat('a', 64), '{headline}', ${values})`,
					[world.orgId, director]
				)
			);
		// A device whose id were a person's would read with that person's rights.
		await expect(insert('id, created_by', '$2, auth.uid()')).rejects.toThrow(/permission denied/);
		await expect(insert('created_by', '$2')).rejects.toThrow(/row-level security/);
		for (const change of [`id = '${director}'`, `token_hash = repeat('b', 64)`, 'shows_money = true', `site_id = '${world.sites.hub2}'`]) {
			await expect(as('admin', (sql) => sql.query(`update public.kpi_devices set ${change} where id = $1`, [id])), change).rejects.toThrow(/permission denied/);
		}
		expect(await as('admin', (sql) => revokeDevice(sql, id))).toBe(true);
		await expect(as('admin', (sql) => sql.query(`update public.kpi_devices set revoked_at = null, revoked_by = null where id = $1`, [id]))).rejects.toThrow(/revoked/);
		await expect(as('admin', (sql) => sql.query(`delete from public.kpi_devices where id = $1`, [id]))).rejects.toThrow(/permission denied/);
	});
});

describe('the /wall namespace', () => {
	type WallSocket = Socket<WallServerToClientEvents>;
	const open = (token: string): WallSocket =>
		connectClient(`http://127.0.0.1:${node.port}/wall`, { transports: ['websocket'], auth: { token }, extraHeaders: { origin: ORIGIN }, reconnection: false, forceNew: true });
	const connected = (socket: WallSocket) =>
		new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('connect_error', reject);
		});

	it("tells a device when its site's figures change, not another site's, and drops it when revoked", async () => {
		const screen = await device({ siteId: world.sites.hub });
		const other = await device({ siteId: world.sites.hub2 });
		const socket = open(screen.token);
		const otherSocket = open(other.token);
		let heard = 0;
		let otherHeard = 0;
		socket.on('kpi_changed', () => (heard += 1));
		otherSocket.on('kpi_changed', () => (otherHeard += 1));
		await Promise.all([connected(socket), connected(otherSocket)]);

		// hub2's screen hears hub2's change; by then the hub screen would have heard it too.
		await task(world.sites.hub2);
		await waitFor('the hub2 change on the hub2 screen', () => otherHeard > 0);
		expect(heard).toBe(0);
		// Every visit of the wall notes when the device was last seen: that is no reason to drop it.
		let dropped = false;
		socket.on('disconnect', () => (dropped = true));
		await q(`update public.kpi_devices set last_seen_at = now() - interval '2 minutes' where id = $1`, [screen.id]);
		expect(await authenticateDevice(world.pool, screen.token)).not.toBeNull();
		await q(`update public.tasks set status = 'done' where id = (select id from public.tasks where site_id = $1 and status = 'planned' limit 1)`, [world.sites.hub]);
		await waitFor('the hub task done', () => heard > 0);
		expect(dropped).toBe(false);
		socket.off('disconnect');
		otherSocket.close();

		const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
		await as('admin', (sql) => revokeDevice(sql, screen.id));
		expect(await closed).toBe('io server disconnect');
		const again = open(screen.token);
		await expect(connected(again)).rejects.toThrow('unauthorised');
		again.close();
	});

	it("refuses a person's session token and a missing one", async () => {
		for (const token of [world.people.admin.token, '']) {
			const socket = open(token);
			await expect(connected(socket)).rejects.toThrow('unauthorised');
			socket.close();
		}
	});
});
