import { expect, test, type Page } from '@playwright/test';
import { documentIsMarked, markDocument, openAs, waitUntilLive, withDatabase } from './support';

/**
 * A transfer's whole life in the browsers of the people whose job each step is: the director
 * requests, approves (the demo organisation's rule: the receiving site's manager, which an
 * organisation-wide director is) and assigns the compliant driver; the driver records the road
 * on a phone; the director receives. Meanwhile, without reloading, the sending dealership's
 * manager follows it on the transfers list, an admin on the tracker map, and a salesperson
 * (the group's stock is shared with sales) on the stock list, where the car leaves for the other
 * dealership and arrives there.
 */
const HUGO = 'd0000000-0000-4000-a003-000000000008';

interface Arranged {
	vehicleId: string;
	plate: string;
	make: string;
	model: string;
	toSite: string;
	toSiteId: string;
}

/** A car of CON-LYV's own stock with a plate and no open transfer, and the dealership it will go to. */
async function arrange(): Promise<Arranged> {
	return withDatabase(async (db) => {
		const rule = await db.query(
			`select coalesce(settings ->> 'transfer_approval', 'receiving') as rule from public.organisations where id = 'd0000000-0000-4000-a000-000000000001'`
		);
		expect(rule.rows[0].rule, 'the demo organisation lets the receiving site approve').toBe('receiving');
		// The partner driver as the demo has him, without an ID card (drivers.e2e.ts files one).
		await db.query(`delete from public.driver_documents where driver_id = md5('relais-demo/driver/2')::uuid and kind = 'id_card'`);
		const { rows } = await db.query(
			`select v.id, v.plate, v.make, v.model, ts.name as to_site, ts.id as to_site_id
			 from public.vehicles v
			 join public.sites s on s.id = v.site_id and s.code = 'CON-LYV'
			 cross join public.sites ts
			 where ts.code = 'CON-GRE' and v.client_account_id is null and v.plate is not null and v.status = 'in_stock'
			   and not exists (select 1 from public.transfers t where t.vehicle_id = v.id and t.status not in ('received', 'cancelled'))
			   and (select count(*) from public.vehicles w where w.plate = v.plate) = 1
			 order by v.plate limit 1`
		);
		if (!rows[0]) throw new Error('The demo data has no free car in stock at CON-LYV');
		const r = rows[0];
		return { vehicleId: r.id, plate: r.plate, make: r.make, model: r.model, toSite: r.to_site, toSiteId: r.to_site_id };
	});
}

const card = (page: Page, id: string) => page.locator(`[data-transfers] > li[data-transfer-id="${id}"]`);

test.describe('a transfer from request to receipt', () => {
	test('the director requests, approves, assigns and receives; the driver drives; the list, the tracker and the stock follow live', async ({ browser }) => {
		test.setTimeout(180_000);
		const a = await arrange();
		const director = await openAs(browser, 'directeur@relais.demo', '/transfers');
		const watcher = await openAs(browser, 'marc.garnier@relais.demo', '/transfers');
		const tracker = await openAs(browser, 'admin@relais.demo', '/transfers/map');
		const stock = await openAs(browser, 'vendeur@relais.demo', `/stock?make=${encodeURIComponent(a.make)}&model=${encodeURIComponent(a.model)}`);
		await Promise.all([director, watcher, tracker, stock].map(waitUntilLive));
		for (const page of [watcher, tracker, stock]) await markDocument(page);
		const stockRow = stock.locator(`[data-stock-row="${a.vehicleId}"]`);
		await expect(stockRow.locator('[data-stock-location]')).toContainText('CON-LYV');
		await expect(stockRow.locator('[data-stock-location]')).not.toContainText('CON-GRE');

		// Request: find the vehicle by plate, send it to the other hub, say why.
		const newTransfer = director.locator('[data-new-transfer]');
		await newTransfer.getByLabel('Chercher un véhicule').fill(a.plate);
		await newTransfer.getByLabel('Chercher un véhicule').press('Enter');
		await expect(director.locator(`#trf-vehicle option[value="${a.vehicleId}"]`)).toHaveCount(1);
		await director.locator('#trf-vehicle').selectOption(a.vehicleId);
		await director.locator('#trf-to-site').selectOption(a.toSiteId);
		await director.locator('#trf-reason').fill('Rééquilibrage du stock vers Marseille');
		await newTransfer.getByRole('button', { name: 'Demander le transfert' }).click();
		await expect(newTransfer.getByRole('status')).toHaveText('Transfert demandé.');
		// The form is ready for the next one, towards a site again.
		await expect(director.locator('#trf-to-site')).toBeVisible();
		await expect(newTransfer.getByRole('radio', { name: 'Un autre site' })).toBeChecked();

		const id = await withDatabase(async (db) => {
			const { rows } = await db.query(`select id from public.transfers where vehicle_id = $1 and status = 'requested'`, [a.vehicleId]);
			return rows[0].id as string;
		});
		const mine = card(director, id);
		const followed = card(watcher, id);
		const drawn = tracker.locator(`[data-tracker-list] > li[data-transfer-id="${id}"]`);
		await expect(mine).toHaveAttribute('data-status', 'requested');
		await expect(mine).toContainText(a.toSite);
		// The sending site's manager sees it arrive, without approving it: the receiving site approves.
		await expect(followed).toHaveAttribute('data-status', 'requested', { timeout: 5_000 });
		await expect(drawn).toHaveAttribute('data-status', 'requested', { timeout: 5_000 });
		await expect(drawn).toHaveAttribute('data-line', 'drawn');
		await expect(stockRow.locator('[data-stock-location]')).toContainText('CON-GRE', { timeout: 5_000 });
		await expect(followed.getByRole('button', { name: 'Approuver' })).toHaveCount(0);

		// Forcing it anyway is refused by the database, with the reason, and changes nothing.
		const forced = await watcher.request.post('/transfers?/approve', {
			form: { transferId: id },
			headers: { origin: new URL(watcher.url()).origin, 'x-sveltekit-action': 'true', accept: 'application/json' }
		});
		const answer = await forced.json();
		expect(answer.type).toBe('failure');
		expect(answer.status).toBe(403);
		expect(JSON.stringify(answer.data)).toContain('Seul un responsable du site désigné par la règle');
		await expect(followed).toHaveAttribute('data-status', 'requested');

		// Approve, with a note.
		await mine.getByLabel('Note ou motif').fill('Place libre au parc B');
		await mine.getByRole('button', { name: 'Approuver' }).click();
		await expect(mine).toHaveAttribute('data-status', 'approved');
		await expect(followed).toHaveAttribute('data-status', 'approved', { timeout: 5_000 });

		// The partner driver lacks documents: shown, and not selectable.
		const partner = mine.locator('select[name="driverId"] option', { hasText: 'Julien Moreau' });
		await expect(partner).toBeDisabled();
		await expect(partner).toContainText('manque');
		await expect(partner).toContainText("pièce d'identité");
		await mine.locator('select[name="driverId"]').selectOption(HUGO);
		await mine.getByLabel('Note ou motif').fill('Tournée du matin');
		await mine.getByRole('button', { name: 'Affecter' }).click();
		await expect(mine).toHaveAttribute('data-status', 'driver_assigned');
		await expect(mine).toContainText('Hugo Girard');
		await expect(followed).toHaveAttribute('data-status', 'driver_assigned', { timeout: 5_000 });
		await director.screenshot({ path: 'tests/screenshots/transfers-desktop.png', fullPage: true });

		// The driver, on a phone, records the road.
		const driver = await openAs(browser, 'chauffeur@relais.demo', '/transfers', { viewport: { width: 390, height: 844 }, hasTouch: true });
		await waitUntilLive(driver);
		const road = card(driver, id);
		await expect(road).toBeVisible();
		await expect(road.getByRole('button', { name: 'Approuver' })).toHaveCount(0);
		await driver.screenshot({ path: 'tests/screenshots/transfers-driver-phone.png', fullPage: true });
		expect(await driver.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll on a phone').toBeLessThanOrEqual(390);
		for (const [button, status] of [
			['Pris en charge', 'picked_up'],
			['En route', 'in_transit'],
			['Livré', 'delivered']
		] as const) {
			if (status === 'picked_up') await road.getByLabel('Note ou motif').fill('Rayure pare-choc notée');
			await road.getByRole('button', { name: button, exact: true }).click();
			await expect(road).toHaveAttribute('data-status', status);
			await expect(followed).toHaveAttribute('data-status', status, { timeout: 5_000 });
			await expect(mine).toHaveAttribute('data-status', status, { timeout: 5_000 });
			await expect(drawn).toHaveAttribute('data-status', status, { timeout: 5_000 });
		}
		await tracker.screenshot({ path: 'tests/screenshots/transfers-tracker-following.png' });

		// The timeline tells every step: who, when, why.
		await mine.getByText(/Historique \(6\)/).click();
		const timeline = mine.locator('[data-timeline]');
		await expect(timeline.locator('[data-event]')).toHaveCount(6);
		await expect(timeline.locator('[data-event="approved"]')).toContainText('Bernard Rousseau');
		await expect(timeline.locator('[data-event="approved"]')).toContainText('Place libre au parc B');
		await expect(timeline.locator('[data-event="picked_up"]')).toContainText('Hugo Girard');
		await expect(timeline.locator('[data-event="picked_up"]')).toContainText('Rayure pare-choc notée');
		await mine.screenshot({ path: 'tests/screenshots/transfers-timeline.png' });

		// The director receives it: it leaves the trackers, and the car joins the other dealership's stock.
		await mine.getByRole('button', { name: 'Réceptionner' }).click();
		await expect(mine).toHaveCount(0);
		await expect(followed).toHaveCount(0, { timeout: 5_000 });
		await expect(drawn).toHaveCount(0, { timeout: 5_000 });
		await expect(stockRow.locator('[data-stock-location]')).toContainText('CON-GRE', { timeout: 5_000 });
		await expect(stockRow.locator('[data-stock-location]')).not.toContainText('CON-LYV');
		for (const page of [watcher, tracker, stock]) expect(await documentIsMarked(page), 'followed in place, without a reload').toBe(true);
		const vehicle = await withDatabase(async (db) => (await db.query(`select site_id from public.vehicles where id = $1`, [a.vehicleId])).rows[0]);
		expect(vehicle.site_id).toBe(a.toSiteId);

		for (const page of [director, watcher, tracker, stock, driver]) await page.context().close();
	});

	test('the tracker on a phone, for a manager', async ({ browser }) => {
		const page = await openAs(browser, 'directeur@relais.demo', '/transfers', { viewport: { width: 390, height: 844 }, hasTouch: true });
		await expect(page.locator('[data-transfers] > li').first()).toBeVisible();
		await page.screenshot({ path: 'tests/screenshots/transfers-phone.png', fullPage: true });
		expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll on a phone').toBeLessThanOrEqual(390);
		await page.context().close();
	});
});
