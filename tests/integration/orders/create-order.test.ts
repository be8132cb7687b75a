import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { createOrder, type CreateOrderInput } from '../../../src/lib/server/orders/create-order';
import { createWorld, testVin, type World } from '../world';

let world: World;
const services = { wash: randomUUID(), polish: randomUUID() };
const vehicles = { first: { vin: testVin(), plate: 'AB-123-CD' }, second: { vin: testVin(), plate: 'EF-456-GH' } };

/** The hub's catalogue and two Acme vehicles, written as superuser (what an admin would set up). */
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub } = world.sites;
	const q = (text: string, values: unknown[]) => world.pool.query(text, values);
	await q(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes)
		 values ($1, $3, 'WASH', 'Lavage', 'Wash', 'wash', 30), ($2, $3, 'POLISH', 'Lustrage', 'Polish', 'workshop', 90)`,
		[services.wash, services.polish, hub]
	);
	await q(
		`insert into public.prices (site_id, service_id, client_account_id, unit_price_cents, valid_from)
		 values ($1, $2, null, 2500, '2020-01-01'), ($1, $3, null, 12000, '2020-01-01'), ($1, $2, $4, 1900, '2020-01-01')`,
		[hub, services.wash, services.polish, world.clients.acme]
	);
	for (const v of Object.values(vehicles)) {
		await q(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
			 values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`,
			[world.orgId, hub, world.clients.acme, v.vin, v.plate]
		);
	}
});

function input(extra: Partial<CreateOrderInput> = {}): CreateOrderInput {
	return {
		siteId: world.sites.hub,
		clientAccountId: world.clients.acme,
		deadline: '2030-01-31',
		vehicles: `${vehicles.first.plate.toLowerCase().replace(/-/g, ' ')}\n${vehicles.second.vin}`,
		serviceIds: [services.wash, services.polish],
		...extra
	};
}

async function countRows(): Promise<{ orders: number; tasks: number }> {
	const { rows } = await world.pool.query(
		`select (select count(*) from public.orders where site_id = $1)::int as orders,
		        (select count(*) from public.tasks where site_id = $1)::int as tasks`,
		[world.sites.hub]
	);
	return rows[0];
}

describe('createOrder', () => {
	it('writes the order and one task per vehicle and service, priced with the client override first', async () => {
		const result = await withUser(world.pool, world.people.csm.claims, (sql) => createOrder(sql, input()));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.reference).toMatch(/^CMD-\d{4}-0001$/);

		const order = await world.pool.query('select reference, deadline::text, created_by, status from public.orders where id = $1', [
			result.orderId
		]);
		expect(order.rows[0]).toEqual({ reference: result.reference, deadline: '2030-01-31', created_by: world.people.csm.id, status: 'open' });
		const tasks = await world.pool.query(
			`select v.plate, s.code, t.price_cents, t.estimated_minutes, t.client_account_id
			 from public.tasks t join public.vehicles v on v.id = t.vehicle_id join public.services s on s.id = t.service_id
			 where t.order_id = $1 order by v.plate, s.code`,
			[result.orderId]
		);
		expect(tasks.rows).toEqual([
			{ plate: 'AB-123-CD', code: 'POLISH', price_cents: 12000, estimated_minutes: 90, client_account_id: world.clients.acme },
			{ plate: 'AB-123-CD', code: 'WASH', price_cents: 1900, estimated_minutes: 30, client_account_id: world.clients.acme },
			{ plate: 'EF-456-GH', code: 'POLISH', price_cents: 12000, estimated_minutes: 90, client_account_id: world.clients.acme },
			{ plate: 'EF-456-GH', code: 'WASH', price_cents: 1900, estimated_minutes: 30, client_account_id: world.clients.acme }
		]);

		const next = await withUser(world.pool, world.people.csm.claims, (sql) => createOrder(sql, input({ serviceIds: [services.wash] })));
		expect(next.ok && next.reference).toBe(result.reference.replace(/0001$/, '0002'));
	});

	it('rejects the whole order for one unknown plate, naming its line, and writes nothing', async () => {
		const before = await countRows();
		const result = await withUser(world.pool, world.people.csm.claims, (sql) =>
			createOrder(sql, input({ vehicles: `${vehicles.first.plate}\nZZ-999-ZZ\nnot a plate` }))
		);
		expect(result).toEqual({
			ok: false,
			errors: [
				{ line: 2, field: 'vehicles', code: 'not_found', input: 'ZZ-999-ZZ' },
				{ line: 3, field: 'vehicles', code: 'invalid', input: 'not a plate' }
			]
		});
		expect(await countRows()).toEqual(before);
	});

	it("refuses another client's vehicle and a service without a price, once", async () => {
		const result = await withUser(world.pool, world.people.csm.claims, (sql) =>
			createOrder(sql, input({ clientAccountId: world.clients.beta }))
		);
		expect(result.ok === false && result.errors).toEqual([
			{ line: 1, field: 'vehicles', code: 'other_client', input: 'ab 123 cd' },
			{ line: 2, field: 'vehicles', code: 'other_client', input: vehicles.second.vin }
		]);
		const unpriced = randomUUID();
		await world.pool.query(
			`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'TYRES', 'Pneus', 'Tyres', 'workshop', 45)`,
			[unpriced, world.sites.hub]
		);
		const noPrice = await withUser(world.pool, world.people.csm.claims, (sql) => createOrder(sql, input({ serviceIds: [unpriced] })));
		expect(noPrice).toEqual({ ok: false, errors: [{ line: null, field: 'services', code: 'no_price', serviceId: unpriced }] });
	});

	it('lets row-level security refuse an operator, rolling back everything', async () => {
		const before = await countRows();
		await expect(withUser(world.pool, world.people.operator.claims, (sql) => createOrder(sql, input()))).rejects.toMatchObject({
			code: '42501'
		});
		expect(await countRows()).toEqual(before);
	});
});
