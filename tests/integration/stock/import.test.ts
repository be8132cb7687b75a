import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { IMPORT_BATCH, startStockImport, type StockImportSummary } from '../../../src/lib/server/stock/import-stock';
import { listStock } from '../../../src/lib/server/stock/list-stock';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * Importing a CSV file into a site's stock: who may, what a row-by-row report says, that the
 * same file twice changes nothing, that a VIN of another site is never taken over, and that
 * the importer hears of the progress and of the end.
 */
let world: World;
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);

afterAll(() => closePools());
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
});

async function importAs(who: Persona, site: string, text: string): Promise<StockImportSummary | string> {
	const started = await startStockImport(world.pool, world.people[who].claims, { siteId: site, fileName: 'stock.csv', text });
	return started.ok ? started.finished : started.error;
}

const job = async (id: string) =>
	(await q(`select status, total_rows, processed_rows, errors from public.stock_imports where id = $1`, [id])).rows[0];

describe('importing a site stock file', () => {
	const vins = [testVin(), testVin(), testVin()];
	const file = [
		'vin;immatriculation;marque;modele;energie;kilometrage;couleur;prix_achat;prix_vente;date_entree',
		`${vins[0]};AB-123-CD;Renault;Clio;essence;12000;Blanc;12 000,00;14 990,00;15/11/2026`,
		`${vins[1]};;Peugeot;208;électrique;;;;21 990;`,
		`${vins[2]};;Dacia;;vapeur;;;;douze;`
	].join('\n');

	it('writes the valid rows, reports the others by row and field, and tells the importer when done', async () => {
		const summary = (await importAs('site_manager', world.sites.hub, file)) as StockImportSummary;
		expect(summary).toMatchObject({ status: 'done', created: 2, updated: 0, unchanged: 0, errors: 3 });
		const row = await job(summary.id);
		expect(row).toMatchObject({ status: 'done', total_rows: 2, processed_rows: 2 });
		expect(row.errors).toEqual([
			{ line: 4, field: 'model', code: 'required', value: '' },
			{ line: 4, field: 'energy', code: 'invalid_energy', value: 'vapeur' },
			{ line: 4, field: 'sale_price', code: 'invalid_price', value: 'douze' }
		]);
		const stock = await withUser(world.pool, world.people.site_manager.claims, (sql) => listStock(sql, { make: 'Renault' }));
		expect(stock.rows.map((r) => [r.vin, r.status, r.salePriceCents, r.purchasePriceCents, r.daysInStock > 0])).toEqual([
			[vins[0], 'in_stock', 1_499_000, 1_200_000, true]
		]);
		const { rows: notes } = await q(`select kind, title, link from public.notifications where user_id = $1`, [world.people.site_manager.id]);
		expect(notes).toEqual([{ kind: 'import_finished', title: 'Import terminé · stock.csv (HUB-A)', link: `/stock/import?job=${summary.id}` }]);
	});

	it('importing the same file again creates nothing: every valid row is unchanged', async () => {
		const summary = await importAs('site_manager', world.sites.hub, file);
		expect(summary).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 2, errors: 3 });
		const { rows } = await q(`select count(*)::int as n from public.vehicles where vin = any($1)`, [vins]);
		expect(rows[0].n).toBe(2);
	});

	it('a changed price updates the vehicle in place', async () => {
		const changed = file.replace('14 990,00', '13 990,00');
		expect(await importAs('admin', world.sites.hub, changed)).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
		const { rows } = await q(`select sale_price_cents from public.vehicles where vin = $1`, [vins[0]]);
		expect(rows[0].sale_price_cents).toBe(1_399_000);
	});

	it("refuses a VIN another site or a client holds, leaving that vehicle as it was", async () => {
		const theirs = testVin();
		await q(`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Fiat', '500', 'petrol')`, [
			world.orgId,
			world.sites.hub2,
			theirs
		]);
		const summary = (await importAs('site_manager', world.sites.hub, `vin,make,model,energy\n${theirs},Renault,Twingo,petrol\n`)) as StockImportSummary;
		expect(summary).toMatchObject({ created: 0, errors: 1 });
		expect((await job(summary.id)).errors).toEqual([{ line: 2, field: 'vin', code: 'elsewhere', value: theirs }]);
		const { rows } = await q(`select site_id, make from public.vehicles where vin = $1`, [theirs]);
		expect(rows).toEqual([{ site_id: world.sites.hub2, make: 'Fiat' }]);
	});

	it('only the site managers and admins of the site may import (the policy on stock_imports)', async () => {
		const one = `vin,make,model,energy\n${testVin()},Renault,Twingo,petrol\n`;
		for (const who of ['operator', 'team_lead', 'csm', 'sales', 'director', 'operator_other_site', 'client', 'admin_other_org'] as const) {
			expect(await importAs(who, world.sites.hub, one), who).toBe('forbidden');
		}
		// A site manager of one site may not import into another.
		expect(await importAs('site_manager', world.sites.hub2, one)).toBe('forbidden');
		expect(await importAs('site_manager', world.sites.hub, 'marque\nRenault')).toBe('no_header');
	});

	it('counts progress batch by batch on the job, each step routed to the importer only', async () => {
		const rows = Array.from({ length: IMPORT_BATCH * 2 + 10 }, () => `${testVin()},Renault,Clio,diesel,9990`);
		const { rows: before } = await q(`select coalesce(max(id), 0)::bigint as id from public.change_log`);
		const summary = (await importAs('site_manager', world.sites.hub, `vin,make,model,energy,sale_price\n${rows.join('\n')}`)) as StockImportSummary;
		expect(summary).toMatchObject({ created: IMPORT_BATCH * 2 + 10, errors: 0 });
		const { rows: steps } = await q(
			`select op, user_id, site_ids from public.change_log where table_name = 'stock_imports' and row_id = $1 and id > $2 order by id`,
			[summary.id, before[0].id]
		);
		// Opened, three batches, finished.
		expect(steps.map((s) => s.op)).toEqual(['insert', 'update', 'update', 'update', 'update']);
		expect(steps.every((s) => s.user_id === world.people.site_manager.id && s.site_ids.length === 0)).toBe(true);
	});
});
