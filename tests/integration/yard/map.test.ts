import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type Sql } from '../../../src/lib/server/db/pool';
import { vehicleCard, yardMap } from '../../../src/lib/server/yard/map';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * The yard map's payload read as each person: a site's zones, bays and parked vehicles only for
 * its staff, occupancy counted per zone, and the vehicle card's orders, tasks and inspections.
 */
let world: World;
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);

/** A rectangle `w` × `h` metres, `x` metres east of longitude 5 at latitude 45. */
const rect = (x: number, w: number, h: number) => {
	const [w0, e, s, n] = [5 + x * 0.0000127, 5 + (x + w) * 0.0000127, 45, 45 + h * 0.000009];
	return { type: 'Polygon', coordinates: [[[w0, s], [e, s], [e, n], [w0, n], [w0, s]]] };
};

async function zone(site: string, code: string, kind: string, bayCount: number, x: number): Promise<string[]> {
	const { rows } = await q(`insert into public.yard_zones (site_id, code, name, kind, geometry) values ($1, $2, $3, $4, $5) returning id`, [
		site,
		code,
		`Zone ${code}`,
		kind,
		rect(x, bayCount * 2.5, 5)
	]);
	const ids: string[] = [];
	for (let i = 0; i < bayCount; i++) {
		const bay = await q(`insert into public.bays (site_id, zone_id, number, geometry, rank) values ($1, $2, $3, $4, $5) returning id`, [
			site,
			rows[0].id,
			`${code}${i + 1}`,
			rect(x + i * 2.5, 2.5, 5),
			x + i
		]);
		ids.push(bay.rows[0].id);
	}
	return ids;
}

async function vehicle(site: string, bay: string | null, plate: string, status = 'on_site', client: string | null = null): Promise<string> {
	const { rows } = await q(
		`insert into public.vehicles (organisation_id, site_id, bay_id, client_account_id, vin, plate, make, model, energy, status, arrived_at)
		 values ($1, $2, $3, $4, $5, $6, 'Renault', 'Clio', 'petrol', $7, now()) returning id`,
		[world.orgId, site, bay, client, testVin(), plate, status]
	);
	return rows[0].id;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub, hub2 } = world.sites;
	const reception = await zone(hub, 'A', 'reception', 3, 0);
	const parking = await zone(hub, 'P', 'parking', 4, 20);
	const elsewhere = await zone(hub2, 'X', 'parking', 2, 0);
	ids.parked = await vehicle(hub, reception[0], 'AA-111-AA', 'on_site', world.clients.acme);
	await vehicle(hub, parking[1], 'AA-222-AA', 'in_service', world.clients.beta);
	await vehicle(hub, parking[3], 'AA-333-AA', 'ready', world.clients.acme);
	await vehicle(hub, null, 'AA-444-AA', 'on_site');
	await vehicle(hub2, elsewhere[0], 'BB-111-BB');

	const order = await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'CMD-YARD-1', current_date + 2) returning id`, [
		hub,
		world.clients.acme
	]);
	const service = await q(
		`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, 'LAV_EXT', 'Lavage extérieur', 'Exterior wash', 'wash', 20) returning id`,
		[hub]
	);
	for (const status of ['planned', 'done'])
		await q(
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents, status, planned_on)
			 values ($1, $2, $3, $4, $5, 20, 1500, $6, current_date)`,
			[hub, world.clients.acme, order.rows[0].id, ids.parked, service.rows[0].id, status]
		);
	await q(
		`insert into public.inspections (site_id, client_account_id, vehicle_id, photos, created_at)
		 values ($1, $2, $3, '["a.jpg","b.jpg"]', now() - interval '2 days'), ($1, $2, $3, '["c.jpg"]', now() - interval '1 day')`,
		[hub, world.clients.acme, ids.parked]
	);
});

afterAll(closePools);

describe('yard map payload', () => {
	it('gives an operator of site A only site A: its zones, bays and parked vehicles', async () => {
		const map = await as('operator', (sql) => yardMap(sql, world.sites.hub));
		expect(map).not.toBeNull();
		const zones = map!.layout.features.filter((f) => f.properties.layer === 'zone');
		const bays = map!.layout.features.filter((f) => f.properties.layer === 'bay');
		expect(zones.map((z) => (z.properties as { code: string }).code)).toEqual(['A', 'P']);
		expect(bays).toHaveLength(7);
		expect(map!.vehicles.map((v) => v.plate)).toEqual(['AA-111-AA', 'AA-222-AA', 'AA-333-AA']);
		expect(map!.clients.map((c) => c.id).sort()).toEqual([world.clients.acme, world.clients.beta].sort());
		expect(map!.unparked).toBe(1);
	});

	it('counts bays, occupied and free bays per zone', async () => {
		const map = await as('operator', (sql) => yardMap(sql, world.sites.hub));
		expect(map!.occupancy.map(({ code, bays, occupied, free }) => ({ code, bays, occupied, free }))).toEqual([
			{ code: 'A', bays: 3, occupied: 1, free: 2 },
			{ code: 'P', bays: 4, occupied: 2, free: 2 }
		]);
	});

	it('shows nothing of another site to its outsiders', async () => {
		// The organisation's sites are known to all its staff; their yards are not.
		const outside = await as('operator_other_site', (sql) => yardMap(sql, world.sites.hub));
		expect(outside && { features: outside.layout.features.length, vehicles: outside.vehicles.length, clients: outside.clients.length }).toEqual({
			features: 0,
			vehicles: 0,
			clients: 0
		});
		expect(await as('admin_other_org', (sql) => yardMap(sql, world.sites.hub))).toBeNull();
		const other = await as('operator_other_site', (sql) => yardMap(sql, world.sites.hub2));
		expect(other!.vehicles.map((v) => v.plate)).toEqual(['BB-111-BB']);
		expect(other!.occupancy).toEqual([expect.objectContaining({ code: 'X', bays: 2, occupied: 1, free: 1 })]);
	});

	it('describes a vehicle on its card: client, bay, open order and tasks, last inspection, photos', async () => {
		const card = await as('operator', (sql) => vehicleCard(sql, ids.parked, 'en'));
		expect(card).toMatchObject({ plate: 'AA-111-AA', bay: 'A1', zone: 'Zone A', photos: 3 });
		expect(card!.orders.map((o) => o.reference)).toEqual(['CMD-YARD-1']);
		expect(card!.openTasks.map((t) => [t.service, t.status])).toEqual([['Exterior wash', 'planned']]);
		expect(Date.now() - card!.lastInspectionAt!.getTime()).toBeLessThan(25 * 3600_000);
		expect(await as('operator_other_site', (sql) => vehicleCard(sql, ids.parked, 'en'))).toBeNull();
	});
});
