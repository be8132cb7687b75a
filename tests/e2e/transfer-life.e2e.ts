import { expect, test, type Page } from '@playwright/test';
import { documentIsMarked, markDocument, openAs, waitUntilLive, withDatabase } from './support';

/**
 * A transfer's whole life in the browsers of the people whose job each step is: the director
 * requests, approves (the demo organisation's rule: the receiving site's manager, which an
 * organisation-wide director is) and assigns the compliant driver; the driver records the road
 * on a phone; the director receives. The sending site's manager follows it live meanwhile.
 */
const HUGO = 'd0000000-0000-4000-a003-000000000008';

interface Arranged {
	vehicleId: string;
	plate: string;
	toSite: string;
	toSiteId: string;
}

/** A vehicle of HUB-LYS with a plate and no open transfer, and the hub it will go to. */
async function arrange(): Promise<Arranged> {
	return withDatabase(async (db) => {
		const rule = await db.query(
			`select coalesce(settings ->> 'transfer_approval', 'receiving') as rule from public.organisations where id = 'd0000000-0000-4000-a000-000000000001'`
		);
		expect(rule.rows[0].rule, 'the demo organisation lets the receiving site approve').toBe('receiving');
		const { rows } = await db.query(
			`select v.id, v.plate, ts.name as to_site, ts.id as to_site_id
			 from public.vehicles v
			 join public.sites s on s.id = v.site_id and s.code = 'HUB-LYS'
			 cross join public.sites ts
			 where ts.code = 'HUB-MRS' and v.plate is not null and v.status in ('in_stock', 'on_site', 'ready')
			   and not exists (select 1 from public.transfers t where t.vehicle_id = v.id and t.status not in ('received', 'cancelled'))
			   and (select count(*) from public.vehicles w where w.plate = v.plate) = 1
			 order by v.plate limit 1`
		);
		if (!rows[0]) throw new Error('The demo data has no free vehicle at HUB-LYS');
		return { vehicleId: rows[0].id, plate: rows[0].plate, toSite: rows[0].to_site, toSiteId: rows[0].to_site_id };
	});
}

const card = (page: Page, id: string) => page.locator(`[data-transfers] > li[data-transfer-id="${id}"]`);

test.describe('a transfer from request to receipt', () => {
	test('the director requests, approves, assigns and receives; the driver drives; a second browser follows live', async ({ browser }) => {
		test.setTimeout(120_000);
		const a = await arrange();
		const director = await openAs(browser, 'directeur@relais.demo', '/transfers');
		const watcher = await openAs(browser, 'responsable@relais.demo', '/transfers');
		await Promise.all([waitUntilLive(director), waitUntilLive(watcher)]);
		await markDocument(watcher);

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
		await expect(mine).toHaveAttribute('data-status', 'requested');
		await expect(mine).toContainText(a.toSite);
		// The sending site's manager sees it arrive, without approving it: the receiving site approves.
		await expect(followed).toHaveAttribute('data-status', 'requested', { timeout: 5_000 });
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
		}

		// The timeline tells every step: who, when, why.
		await mine.getByText(/Historique \(6\)/).click();
		const timeline = mine.locator('[data-timeline]');
		await expect(timeline.locator('[data-event]')).toHaveCount(6);
		await expect(timeline.locator('[data-event="approved"]')).toContainText('Bernard Rousseau');
		await expect(timeline.locator('[data-event="approved"]')).toContainText('Place libre au parc B');
		await expect(timeline.locator('[data-event="picked_up"]')).toContainText('Hugo Girard');
		await expect(timeline.locator('[data-event="picked_up"]')).toContainText('Rayure pare-choc notée');
		await mine.screenshot({ path: 'tests/screenshots/transfers-timeline.png' });

		// The director receives it: it leaves the trackers, and the vehicle joins the other hub.
		await mine.getByRole('button', { name: 'Réceptionner' }).click();
		await expect(mine).toHaveCount(0);
		await expect(followed).toHaveCount(0, { timeout: 5_000 });
		expect(await documentIsMarked(watcher), 'the second browser followed in place, without a reload').toBe(true);
		const vehicle = await withDatabase(async (db) => (await db.query(`select site_id from public.vehicles where id = $1`, [a.vehicleId])).rows[0]);
		expect(vehicle.site_id).toBe(a.toSiteId);

		await director.context().close();
		await watcher.context().close();
		await driver.context().close();
	});

	test('the tracker on a phone, for a manager', async ({ browser }) => {
		const page = await openAs(browser, 'directeur@relais.demo', '/transfers', { viewport: { width: 390, height: 844 }, hasTouch: true });
		await expect(page.locator('[data-transfers] > li').first()).toBeVisible();
		await page.screenshot({ path: 'tests/screenshots/transfers-phone.png', fullPage: true });
		expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll on a phone').toBeLessThanOrEqual(390);
		await page.context().close();
	});
});
