import { expect, test, type Page } from '@playwright/test';
import { documentIsMarked, markDocument, openAs, shoot, waitUntilLive, withDatabase } from './support';

/**
 * The stock follows the group live, and a site's stock comes in from a CSV file. A salesperson
 * of CON-LYV (the demo organisation shares its group stock with sales) watches CON-GRE's stock
 * while a vehicle there is sold and another moves away: the list updates in place. A site
 * manager imports a file with a bad row, reads the report, and imports it again: nothing new.
 */
const phone = { width: 390, height: 844 };

const siteId = (code: string) => withDatabase(async (db) => (await db.query(`select id from public.sites where code = $1`, [code])).rows[0].id as string);

/** Two dealer vehicles in stock at CON-GRE (put back in stock there: earlier runs sold or moved them). */
async function arrange(): Promise<{ site: string; home: string; sold: string; moved: string }> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`with gre as (select id from public.sites where code = 'CON-GRE'),
			      pick as (select v.id from public.vehicles v, gre
			               where v.client_account_id is null and v.stocked_on is not null
			                 and v.site_id = gre.id
			                 and not exists (select 1 from public.transfers t where t.vehicle_id = v.id and t.status not in ('received', 'cancelled'))
			               order by v.vin limit 2)
			 update public.vehicles v set site_id = gre.id, bay_id = null, status = 'in_stock', stocked_on = current_date - 20
			   from pick, gre where v.id = pick.id
			 returning v.id, gre.id as site, (select id from public.sites where code = 'CON-LYV') as home`
		);
		if (rows.length < 2) throw new Error('The demo data has no dealer stock at CON-GRE');
		return { site: rows[0].site, home: rows[0].home, sold: rows[0].id, moved: rows[1].id };
	});
}

test('a stock list open elsewhere follows live when a vehicle is sold or moves to another site', async ({ browser }) => {
	const a = await arrange();
	const sales = await openAs(browser, 'vendeur@relais.demo', `/stock?site=${a.site}&status=in_stock`);
	await waitUntilLive(sales);
	await expect(sales.locator(`[data-stock-row="${a.sold}"]`)).toBeVisible();
	await expect(sales.locator(`[data-stock-row="${a.moved}"]`)).toBeVisible();
	await markDocument(sales);

	// Sold at CON-GRE, by someone else: it leaves the "in stock" list without a reload.
	await withDatabase((db) => db.query(`update public.vehicles set status = 'sold' where id = $1`, [a.sold]));
	await expect(sales.locator(`[data-stock-row="${a.sold}"]`)).toHaveCount(0);
	// Received at the salesperson's own site: it leaves CON-GRE's list and shows under CON-LYV.
	await withDatabase((db) => db.query(`update public.vehicles set site_id = $2, bay_id = null where id = $1`, [a.moved, a.home]));
	await expect(sales.locator(`[data-stock-row="${a.moved}"]`)).toHaveCount(0);
	expect(await documentIsMarked(sales), 'the list updated in place').toBe(true);
	await sales.goto(`/stock?site=${a.home}&status=in_stock`);
	await expect(sales.locator(`[data-stock-row="${a.moved}"] [data-stock-location]`)).toContainText('CON-LYV');
	await shoot(sales, 'stock-live-desktop');
	await sales.setViewportSize(phone);
	await shoot(sales, 'stock-live-phone');
	await sales.context().close();
});

test('a site manager imports a file, reads the row-by-row report, and the same file again creates nothing', async ({ browser }) => {
	const run = String(Date.now()).slice(-8);
	const vin = (n: number) => `VF1E2E${run}00${n}`.slice(0, 17);
	const file = [
		'vin;immatriculation;marque;modele;energie;kilometrage;couleur;prix_achat;prix_vente;date_entree',
		`${vin(1)};;Renault;Arkana;hybride;12 400;Gris;21 000,00;25 490,00;02/11/2026`,
		`${vin(2)};;Renault;Austral;hybride;8 100;Blanc;28 000,00;33 990,00;10/11/2026`,
		`${vin(3)};;Dacia;Jogger;vapeur;30 000;Vert;;15 990,00;`,
		`${vin(4)};;Peugeot;408;essence;5 200;Noir;27 500,00;31 290,00;`
	].join('\n');
	const upload = async (page: Page) => {
		await page.locator('#import-file').setInputFiles({ name: 'stock-lyv.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
		await page.getByRole('button', { name: 'Importer', exact: true }).click();
		await expect(page.locator('[data-stock-import-job]')).toHaveAttribute('data-status', 'done');
	};
	const count = (page: Page, key: string) => page.locator(`[data-stock-import-count="${key}"]`);

	const manager = await openAs(browser, 'marc.garnier@relais.demo', '/stock');
	await manager.getByRole('link', { name: 'Importer un fichier' }).click();
	await expect(manager.locator('#import-site')).toHaveValue(await siteId('CON-LYV'));
	await waitUntilLive(manager);
	await upload(manager);
	await expect(count(manager, 'created')).toHaveText('3');
	await expect(count(manager, 'errors')).toHaveText('1');
	const report = manager.locator('[data-stock-import-error="4"]');
	await expect(report).toContainText('Énergie');
	await expect(report).toContainText('énergie inconnue');
	await expect(manager.locator('[data-stock-import-progress]')).toHaveText('3 / 3 lignes écrites');
	await shoot(manager, 'stock-import-desktop');
	// The importer is told when it is done (in-app notification).
	const notified = await withDatabase(async (db) =>
		(await db.query(`select count(*)::int as n from public.notifications n join auth.users u on u.id = n.user_id
		                 where u.email = 'marc.garnier@relais.demo' and n.kind = 'import_finished' and n.created_at > now() - interval '5 minutes'`)).rows[0].n
	);
	expect(notified).toBeGreaterThan(0);

	await upload(manager);
	await expect(count(manager, 'created')).toHaveText('0');
	await expect(count(manager, 'unchanged')).toHaveText('3');
	const stored = await withDatabase(async (db) => (await db.query(`select count(*)::int as n from public.vehicles where vin like $1`, [`VF1E2E${run}%`])).rows[0].n);
	expect(stored).toBe(3);
	await manager.setViewportSize(phone);
	await shoot(manager, 'stock-import-phone');
	await manager.context().close();
});
