import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { createOrder, type CreateOrderInput } from '../../../src/lib/server/orders/create-order';
import { closePrice, createPriceVersion } from '../../../src/lib/server/prices/price-list';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * Orders from a CSV file (new vehicles included), orders placed by clients, services per
 * vehicle, and the price list's versions, against real Postgres and its policies.
 */
let world: World;
const services = { wash: randomUUID(), pdi: randomUUID() };
const known = { vin: testVin(), plate: 'GH-321-JK' };
let today: string;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub } = world.sites;
	const q = (text: string, values: unknown[]) => world.pool.query(text, values);
	await q(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes)
		 values ($1, $3, 'WASH_EXT', 'Lavage', 'Wash', 'wash', 20), ($2, $3, 'PDI', 'PDI', 'PDI', 'workshop', 60)`,
		[services.wash, services.pdi, hub]
	);
	// General prices, and Acme's own PDI price.
	await q(
		`insert into public.prices (site_id, service_id, client_account_id, unit_price_cents, valid_from)
		 values ($1, $2, null, 1500, '2020-01-01'), ($1, $3, null, 7500, '2020-01-01'), ($1, $3, $4, 6500, '2020-01-01')`,
		[hub, services.wash, services.pdi, world.clients.acme]
	);
	await q(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
		 values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`,
		[world.orgId, hub, world.clients.acme, known.vin, known.plate]
	);
	today = (await world.pool.query(`select (now() at time zone 'Europe/Paris')::date::text as d`)).rows[0].d;
});

const as = <T>(persona: Persona, fn: Parameters<typeof withUser<T>>[2]) => withUser(world.pool, world.people[persona].claims, fn);

function order(extra: Partial<CreateOrderInput>): CreateOrderInput {
	return { siteId: world.sites.hub, clientAccountId: world.clients.acme, deadline: '2030-03-31', serviceIds: [services.wash], ...extra };
}

async function counts() {
	const { rows } = await world.pool.query(
		`select (select count(*) from public.orders where site_id = $1)::int as orders,
		        (select count(*) from public.tasks where site_id = $1)::int as tasks,
		        (select count(*) from public.vehicles where site_id = $1)::int as vehicles`,
		[world.sites.hub]
	);
	return rows[0];
}

async function tasksOf(orderId: string) {
	const { rows } = await world.pool.query(
		`select coalesce(v.plate, v.vin) as vehicle, s.code, t.price_cents, t.estimated_minutes
		 from public.tasks t join public.vehicles v on v.id = t.vehicle_id join public.services s on s.id = t.service_id
		 where t.order_id = $1 order by 1, 2`,
		[orderId]
	);
	return rows;
}

describe('an order from a CSV file', () => {
	it('refuses the whole file for one bad row, naming each row, and writes nothing', async () => {
		const before = await counts();
		const fresh = testVin();
		const csv = [
			'vin;immatriculation;marque;modele;prestations',
			`${fresh};;Peugeot;e-208;PDI`,
			`;${known.plate};;;`,
			`VF1TOOSHORT;;Renault;Clio;`,
			`${testVin()};;;;`,
			`;ZZ-999-ZZ;;;`,
			`${testVin()};;Kia;EV6;POLISH`
		].join('\r\n');
		const result = await as('csm', (sql) => createOrder(sql, order({ csv })));
		expect(result).toEqual({
			ok: false,
			errors: [
				{ line: 4, field: 'csv', code: 'invalid_vin', input: 'VF1TOOSHORT', detail: undefined },
				{ line: 5, field: 'csv', code: 'unknown_vin', input: expect.any(String) },
				{ line: 6, field: 'csv', code: 'not_found', input: 'ZZ-999-ZZ' },
				{ line: 7, field: 'csv', code: 'unknown_service_code', input: expect.any(String), detail: 'POLISH' }
			]
		});
		expect(await counts()).toEqual(before);
		const created = await world.pool.query('select 1 from public.vehicles where vin = $1', [fresh]);
		expect(created.rowCount).toBe(0);
	});

	it('registers a new VIN for the client, expected at the site, and gives each vehicle its own services', async () => {
		const fresh = testVin();
		const csv = `\uFEFFvin,plate,make,model,energy,services\n${fresh},,Kia,EV6,électrique,"PDI;WASH_EXT"\n,${known.plate.toLowerCase()},,,,\n`;
		const result = await as('csm', (sql) => createOrder(sql, order({ csv })));
		expect(result).toMatchObject({ ok: true, createdVehicles: 1 });
		if (!result.ok) return;
		const vehicle = await world.pool.query('select client_account_id, status, make, model, energy, site_id from public.vehicles where vin = $1', [fresh]);
		expect(vehicle.rows[0]).toEqual({ client_account_id: world.clients.acme, status: 'expected', make: 'Kia', model: 'EV6', energy: 'electric', site_id: world.sites.hub });
		// The new Kia gets its two file services (Acme's PDI price); the Clio the defaults (wash).
		expect(await tasksOf(result.orderId)).toEqual([
			{ vehicle: known.plate, code: 'WASH_EXT', price_cents: 1500, estimated_minutes: 20 },
			{ vehicle: fresh, code: 'PDI', price_cents: 6500, estimated_minutes: 60 },
			{ vehicle: fresh, code: 'WASH_EXT', price_cents: 1500, estimated_minutes: 20 }
		]);
	});

	it("refuses a VIN registered for another client as taken, and rolls its new vehicles back", async () => {
		const theirs = testVin();
		await world.pool.query(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model) values ($1, $2, $3, $4, 'Fiat', '500')`,
			[world.orgId, world.sites.hub, world.clients.beta, theirs]
		);
		const fresh = testVin();
		const csv = `vin;marque;modele\n${fresh};Kia;Niro\n${theirs};Fiat;500\n`;
		// The client cannot see Beta's vehicle: the VIN is found taken only on insert.
		const result = await as('client', (sql) => createOrder(sql, order({ csv })));
		expect(result).toEqual({ ok: false, errors: [{ line: 3, field: 'csv', code: 'vin_taken', input: theirs }] });
		expect((await world.pool.query('select 1 from public.vehicles where vin = $1', [fresh])).rowCount).toBe(0);
	});
});

describe('services per vehicle', () => {
	it("takes each vehicle's own choice over the defaults", async () => {
		const other = { vin: testVin(), plate: 'KL-654-MN' };
		await world.pool.query(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model) values ($1, $2, $3, $4, $5, 'Dacia', 'Spring')`,
			[world.orgId, world.sites.hub, world.clients.acme, other.vin, other.plate]
		);
		const result = await as('csm', (sql) =>
			createOrder(sql, order({ vehicles: `${known.plate}\n${other.vin}`, servicesByVehicle: { [`plate:${known.plate}`]: [services.pdi, services.wash] } }))
		);
		if (!result.ok) throw new Error('order refused');
		expect((await tasksOf(result.orderId)).map((t) => [t.vehicle, t.code])).toEqual([
			[known.plate, 'PDI'],
			[known.plate, 'WASH_EXT'],
			[other.plate, 'WASH_EXT']
		]);
	});

	it('refuses one vehicle named twice, by its plate and by its VIN', async () => {
		const result = await as('csm', (sql) => createOrder(sql, order({ vehicles: `${known.plate}\n${known.vin}` })));
		expect(result).toEqual({ ok: false, errors: [{ line: 2, field: 'vehicles', code: 'duplicate', input: known.vin }] });
	});

	it('refuses a vehicle left with no service, on its line', async () => {
		const result = await as('csm', (sql) => createOrder(sql, order({ vehicles: known.plate, servicesByVehicle: { [`plate:${known.plate}`]: [] } })));
		expect(result).toEqual({ ok: false, errors: [{ line: 1, field: 'vehicles', code: 'no_service', input: known.plate }] });
	});
});

describe('a client orders from the portal', () => {
	it('orders for its own account at its own price, through the same createOrder', async () => {
		const result = await as('client', (sql) => createOrder(sql, order({ vehicles: known.plate, serviceIds: [services.pdi] })));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await tasksOf(result.orderId)).toEqual([{ vehicle: known.plate, code: 'PDI', price_cents: 6500, estimated_minutes: 60 }]);
		const row = await world.pool.query('select created_by, client_account_id from public.orders where id = $1', [result.orderId]);
		expect(row.rows[0]).toEqual({ created_by: world.people.client.id, client_account_id: world.clients.acme });
	});

	it("is refused for another account, and nothing is written", async () => {
		const before = await counts();
		const fresh = testVin();
		const csv = `vin;marque;modele\n${fresh};Kia;EV6\n`;
		await expect(as('client', (sql) => createOrder(sql, order({ csv, clientAccountId: world.clients.beta })))).rejects.toMatchObject({
			code: '42501'
		});
		expect(await counts()).toEqual(before);
	});

	it('cannot write a task at a price of its own choosing', async () => {
		const result = await as('client', (sql) => createOrder(sql, order({ vehicles: known.vin })));
		if (!result.ok) throw new Error('order refused');
		const vehicleId = (await world.pool.query('select id from public.vehicles where vin = $1', [known.vin])).rows[0].id;
		const insert = (price: number) =>
			as('client', (sql) =>
				sql.query(
					`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents)
					 values ($1, $2, $3, $4, $5, 60, $6)`,
					[world.sites.hub, world.clients.acme, result.orderId, vehicleId, services.pdi, price]
				)
			);
		await expect(insert(1)).rejects.toMatchObject({ code: '42501' });
		await expect(insert(7500)).rejects.toMatchObject({ code: '42501' }); // the general price, not Acme's
		await expect(insert(6500)).resolves.toBeDefined();
	});

	it("never reads another client's negotiated price", async () => {
		const seen = await as('client_other_account', (sql) =>
			sql.query<{ cents: number }>('select unit_price_cents as cents from public.prices where service_id = $1 order by 1', [services.pdi])
		);
		expect(seen.rows.map((r) => r.cents)).toEqual([7500]);
	});
});

describe('the price list', () => {
	it('a new price leaves tasks already priced untouched, and prices the next order', async () => {
		const first = await as('csm', (sql) => createOrder(sql, order({ vehicles: known.plate })));
		if (!first.ok) throw new Error('order refused');
		expect(await tasksOf(first.orderId)).toMatchObject([{ price_cents: 1500 }]);

		const changed = await as('site_manager', (sql) =>
			createPriceVersion(sql, { siteId: world.sites.hub, serviceId: services.wash, clientAccountId: null, unitPriceCents: 1800, validFrom: today, validTo: null })
		);
		expect(changed).toEqual({ ok: true });
		const versions = await world.pool.query(
			`select unit_price_cents, valid_from::text, valid_to::text from public.prices
			 where service_id = $1 and client_account_id is null order by valid_from`,
			[services.wash]
		);
		expect(versions.rows.map((v) => [v.unit_price_cents, v.valid_to === null ? 'open' : 'closed'])).toEqual([
			[1500, 'closed'],
			[1800, 'open']
		]);

		expect(await tasksOf(first.orderId)).toMatchObject([{ price_cents: 1500 }]);
		const next = await as('csm', (sql) => createOrder(sql, order({ vehicles: known.plate })));
		if (!next.ok) throw new Error('order refused');
		expect(await tasksOf(next.orderId)).toMatchObject([{ price_cents: 1800 }]);
	});

	it('refuses a version starting in the past or behind a later one', async () => {
		const attempt = (validFrom: string) =>
			as('site_manager', (sql) =>
				createPriceVersion(sql, { siteId: world.sites.hub, serviceId: services.wash, clientAccountId: null, unitPriceCents: 1, validFrom, validTo: null })
			);
		expect(await attempt('2021-01-01')).toEqual({ ok: false, error: 'starts_in_past' });
		expect(await attempt(today)).toMatchObject({ ok: false, error: 'later_version_exists' });
	});

	it('is written by site managers and admins only: a CSM or a team lead is refused, nothing changes', async () => {
		const before = (await world.pool.query('select id, unit_price_cents, valid_to from public.prices where site_id = $1 order by id', [world.sites.hub])).rows;
		for (const persona of ['csm', 'team_lead'] as const) {
			await expect(
				as(persona, (sql) =>
					createPriceVersion(sql, { siteId: world.sites.hub, serviceId: services.pdi, clientAccountId: null, unitPriceCents: 1, validFrom: '2099-01-01', validTo: null })
				)
			).rejects.toMatchObject({ code: '42501' });
			const close = await as(persona, (sql) => closePrice(sql, { siteId: world.sites.hub, priceId: before[0].id, lastDay: today }));
			expect(close).toEqual({ ok: false, error: 'not_found' });
		}
		const after = (await world.pool.query('select id, unit_price_cents, valid_to from public.prices where site_id = $1 order by id', [world.sites.hub])).rows;
		expect(after).toEqual(before);
	});

	it('never rewrites a version, even for a manager writing SQL by hand', async () => {
		await expect(
			as('site_manager', (sql) => sql.query('update public.prices set unit_price_cents = 1 where service_id = $1', [services.pdi]))
		).rejects.toMatchObject({ code: '42501' });
	});
});
