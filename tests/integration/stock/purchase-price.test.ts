import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { listStock } from '../../../src/lib/server/stock/list-stock';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * The purchase price is kept by the database itself: no signed-in person selects
 * vehicles.purchase_price_cents (column grants), whatever their role or the organisation's
 * settings; those allowed read it through public.stock_vehicles only.
 */
let world: World;
let vehicleId: string;
const as = <T>(who: Persona, text: string, values: unknown[] = []) =>
	withUser(world.pool, world.people[who].claims, async (sql) => (await sql.query<T & object>(text, values)).rows);
const code = (promise: Promise<unknown>) => promise.then(() => 'allowed', (err: { code?: string }) => err.code);

afterAll(() => closePools());
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	await world.pool.query(`update public.organisations set settings = '{"sales_see_group_stock": true, "sales_see_margin": true}' where id = $1`, [world.orgId]);
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status, purchase_price_cents, sale_price_cents)
		 values ($1, $2, $3, 'Renault', 'Austral', 'hybrid', 'in_stock', 2500000, 2990000) returning id`,
		[world.orgId, world.sites.hub, testVin()]
	);
	vehicleId = rows[0].id;
});

it('refuses every signed-in person a select of purchase_price_cents on vehicles, or of the whole row', async () => {
	for (const who of ['sales', 'operator', 'site_manager', 'director', 'admin'] as const) {
		expect(await code(as(who, `select purchase_price_cents from public.vehicles where id = $1`, [vehicleId])), who).toBe('42501');
		expect(await code(as(who, `select * from public.vehicles where id = $1`, [vehicleId])), who).toBe('42501');
		// Nor can a filter on it probe the value.
		expect(await code(as(who, `select id from public.vehicles where purchase_price_cents > 0`)), who).toBe('42501');
	}
	// The other columns still read as before.
	expect(await as('operator', `select make, sale_price_cents::int as sale from public.vehicles where id = $1`, [vehicleId])).toEqual([
		{ make: 'Renault', sale: 2_990_000 }
	]);
});

it('a site manager still sees it in the stock list; sales only when the organisation allows margins', async () => {
	const list = (who: Persona) => withUser(world.pool, world.people[who].claims, (sql) => listStock(sql, { model: 'Austral' }));
	expect((await list('site_manager')).rows[0]).toMatchObject({ purchasePriceCents: 2_500_000, marginCents: 490_000 });
	expect((await list('sales')).rows[0]).toMatchObject({ purchasePriceCents: 2_500_000 });
	await world.pool.query(`update public.organisations set settings = settings - 'sales_see_margin' where id = $1`, [world.orgId]);
	expect((await list('sales')).rows[0]).toMatchObject({ purchasePriceCents: null, marginCents: null, salePriceCents: 2_990_000 });
});

it('site staff may still write it (an update sets it without reading it)', async () => {
	await as('site_manager', `update public.vehicles set purchase_price_cents = 2400000 where id = $1`, [vehicleId]);
	const { rows } = await world.pool.query(`select purchase_price_cents::int as p from public.vehicles where id = $1`, [vehicleId]);
	expect(rows[0].p).toBe(2_400_000);
});

it("an import's look-up answers only those who may import at that site", async () => {
	const { rows } = await world.pool.query<{ vin: string }>(`select vin from public.vehicles where id = $1`, [vehicleId]);
	const lookUp = (who: Persona) => as<{ price: number | null }>(who, `select purchase_price_cents::int as price from private.stock_import_existing($1, $2)`, [world.sites.hub, [rows[0].vin]]);
	expect(await lookUp('site_manager')).toEqual([{ price: 2_400_000 }]);
	for (const who of ['sales', 'operator', 'director', 'client', 'admin_other_org'] as const) expect(await lookUp(who), who).toEqual([]);
});
