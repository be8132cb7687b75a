import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type Sql } from '../../../src/lib/server/db/pool';
import { listStock, stockOptions, type StockFilters } from '../../../src/lib/server/stock/list-stock';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * The stock view, read as each persona: which rows row-level security lets through (the
 * organisation's sales_see_group_stock), which figures the view hands out (sales_see_margin),
 * and each filter on hand-made rows whose expected answers are written out below.
 */
let world: World;
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const ids: Record<string, string> = {};

async function vehicle(
	key: string,
	site: string,
	make: string,
	model: string,
	energy: string,
	status: string,
	purchaseEur: number | null,
	saleEur: number | null,
	daysAgo: number,
	client: string | null = null
): Promise<void> {
	const { rows } = await q(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy, status,
		                              purchase_price_cents, sale_price_cents, stocked_on)
		 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, current_date - $11::int) returning id`,
		[world.orgId, site, client, testVin(), make, model, energy, status, purchaseEur && purchaseEur * 100, saleEur && saleEur * 100, daysAgo]
	);
	ids[key] = rows[0].id;
}

const settings = (value: Record<string, boolean>) => q(`update public.organisations set settings = $2 where id = $1`, [world.orgId, value]);
const keys = (rows: { id: string }[]) =>
	rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0] ?? 'foreign').sort();
const list = (who: Persona, filters: StockFilters = {}) => as(who, (sql) => listStock(sql, filters));

afterAll(() => closePools());

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { hub, hub2, dealer, otherOrg } = world.sites;
	// The sales persona works at `dealer` (site A); hub2 stands for site B.
	await vehicle('clio', dealer, 'Renault', 'Clio', 'petrol', 'in_stock', 12_000, 14_990, 10);
	await vehicle('zoe', dealer, 'Renault', 'Zoe', 'electric', 'reserved', 15_000, 17_990, 45);
	await vehicle('208', dealer, 'Peugeot', '208', 'diesel', 'sold', 9_000, 10_490, 90);
	await vehicle('megane', hub2, 'Renault', 'Megane', 'hybrid', 'in_stock', 20_000, 23_990, 5);
	await vehicle('hubcar', hub, 'Peugeot', '3008', 'petrol', 'in_stock', 18_000, 21_990, 120);
	// A client's vehicle is not stock, and another organisation's stock is nobody's here.
	await vehicle('acme', hub, 'Renault', 'Kangoo', 'diesel', 'on_site', null, null, 3, world.clients.acme);
	await q(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status, sale_price_cents)
		 values ($1, $2, $3, 'Renault', 'Clio', 'petrol', 'in_stock', 1000000)`,
		[world.otherOrgId, otherOrg, testVin()]
	);
});

describe('who sees which stock (row-level security)', () => {
	it('sales of site A does not see site B stock while the organisation setting is off', async () => {
		await settings({});
		expect(keys((await list('sales')).rows)).toEqual(['208', 'clio', 'zoe']);
		await settings({ sales_see_group_stock: false });
		expect(keys((await list('sales')).rows)).toEqual(['208', 'clio', 'zoe']);
	});

	it('and sees the whole group stock, site B included, once it is on', async () => {
		await settings({ sales_see_group_stock: true });
		const { rows, total } = await list('sales');
		expect(keys(rows)).toEqual(['208', 'clio', 'hubcar', 'megane', 'zoe']);
		expect(total).toBe(5);
		// Where it physically is: the site's code on every row.
		expect(rows.find((r) => r.id === ids.megane)?.siteCode).toBe('HUB-B');
		await settings({});
	});

	it('staff see the stock of their own sites; directors the whole organisation', async () => {
		expect(keys((await list('operator_other_site')).rows)).toEqual(['megane']);
		expect(keys((await list('site_manager')).rows)).toEqual(['hubcar']);
		expect(keys((await list('director')).rows)).toEqual(['208', 'clio', 'hubcar', 'megane', 'zoe']);
		expect(keys((await list('admin_other_org')).rows)).toEqual(['foreign']);
	});

	it('clients never see dealer stock, nor their own vehicles through it', async () => {
		expect((await list('client')).rows).toEqual([]);
		expect((await list('client_other_account')).rows).toEqual([]);
		expect(await as('client', (sql) => stockOptions(sql))).toEqual({ makes: [], sites: [] });
	});
});

describe('who sees purchase price and margin (decided by the view)', () => {
	it('sales see the sale price but no purchase price or margin unless the organisation allows', async () => {
		await settings({});
		const clio = (await list('sales')).rows.find((r) => r.id === ids.clio)!;
		expect(clio.salePriceCents).toBe(1_499_000);
		expect(clio.purchasePriceCents).toBeNull();
		expect(clio.marginCents).toBeNull();
		expect(clio.daysInStock).toBe(10);
		// Nor can sales sort their way to the margin: every margin is null for them.
		expect((await list('sales', { sort: 'margin' })).rows.every((r) => r.marginCents === null)).toBe(true);
	});

	it('sales see margin once the organisation allows it', async () => {
		await settings({ sales_see_margin: true });
		const clio = (await list('sales')).rows.find((r) => r.id === ids.clio)!;
		expect(clio.purchasePriceCents).toBe(1_200_000);
		expect(clio.marginCents).toBe(299_000);
		await settings({});
	});

	it('site managers see the costs of their site, directors everywhere, operators nowhere', async () => {
		const hubcar = (await list('site_manager')).rows[0];
		expect(hubcar.marginCents).toBe(399_000);
		const all = (await list('director')).rows;
		expect(all.every((r) => r.marginCents !== null)).toBe(true);
		const megane = (await list('operator_other_site')).rows[0];
		expect(megane.salePriceCents).toBe(2_399_000);
		expect(megane.purchasePriceCents).toBeNull();
	});
});

describe('filters and sort (as the director, who sees all five)', () => {
	it.each<[string, StockFilters, string[]]>([
		['make', { make: 'Renault' }, ['clio', 'megane', 'zoe']],
		['model prefix, any case', { model: 'me' }, ['megane']],
		['model with a wildcard character is literal', { model: '%' }, []],
		['energy', { energy: 'electric' }, ['zoe']],
		['price range (inclusive)', { minPriceCents: 1_499_000, maxPriceCents: 2_199_000 }, ['clio', 'hubcar', 'zoe']],
		['days in stock (inclusive)', { minDays: 10, maxDays: 90 }, ['208', 'clio', 'zoe']],
		['site', { siteId: 'dealer' }, ['208', 'clio', 'zoe']],
		['status', { status: 'sold' }, ['208']],
		['combined', { make: 'Renault', status: 'in_stock', maxDays: 9 }, ['megane']]
	])('%s', async (_name, filters, expected) => {
		const resolved = filters.siteId === 'dealer' ? { ...filters, siteId: world.sites.dealer } : filters;
		expect(keys((await list('director', resolved)).rows)).toEqual(expected);
	});

	it('sorts by days in stock (oldest first by default), price, and pages', async () => {
		expect(keys((await list('director')).rows.slice(0, 1))).toEqual(['hubcar']);
		const byPrice = (await list('director', { sort: 'price', direction: 'asc' })).rows.map((r) => r.salePriceCents);
		expect(byPrice).toEqual([1_049_000, 1_499_000, 1_799_000, 2_199_000, 2_399_000]);
		const page = await list('director', { sort: 'price', direction: 'asc', limit: 2, offset: 2 });
		expect(page.rows.map((r) => r.salePriceCents)).toEqual([1_799_000, 2_199_000]);
		expect(page.total).toBe(5);
		expect((await list('director', { limit: 2, offset: 10 })).total).toBe(5);
	});

	it('shows a vehicle with an open transfer as in transfer, heading to its site', async () => {
		await q(
			`insert into public.transfers (organisation_id, vehicle_id, from_site_id, to_site_id, status, reason)
			 values ($1, $2, $3, $4, 'requested', 'stock test')`,
			[world.orgId, ids.clio, world.sites.dealer, world.sites.hub2]
		);
		const clio = (await list('director', { make: 'Renault', model: 'Clio' })).rows[0];
		expect(clio.inTransfer).toBe(true);
		expect(clio.transferToCode).toBe('HUB-B');
		const zoe = (await list('director', { model: 'Zoe' })).rows[0];
		expect(zoe.inTransfer).toBe(false);
	});

	it('offers the visible makes and sites as filter options', async () => {
		const options = await as('sales', (sql) => stockOptions(sql));
		expect(options.makes).toEqual(['Peugeot', 'Renault']);
		expect(options.sites.map((s) => s.code)).toEqual(['CON-A']);
	});
});
