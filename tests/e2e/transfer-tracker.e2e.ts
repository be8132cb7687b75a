import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { pdfText } from '../../src/lib/server/documents/pdf-text';
import { documentIsMarked, markDocument, openAs, shoot, waitUntilLive, withDatabase } from './support';

/**
 * The tracker map: a director watches transfers in flight on a map drawn from a local style; the
 * driver, on a phone in another browser, takes the car on the road and the line changes in place;
 * clicking the line opens its timeline; once delivered, the delivery note downloads as a PDF with
 * the sending site's legal details.
 */
const phone = { width: 390, height: 844 };
const HUGO = 'd0000000-0000-4000-a003-000000000008';

interface Arranged {
	id: string;
	vehicleId: string;
	plate: string;
}

/**
 * A transfer HUB-LYS → HUB-MRS with Hugo assigned, written as the database's superuser with the
 * steps so far, for a free vehicle of HUB-LYS (every run brings its own).
 */
async function arrange(): Promise<Arranged> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`select v.id, v.plate, v.organisation_id, f.id as from_id, ts.id as to_id
			 from public.vehicles v
			 join public.sites f on f.id = v.site_id and f.code = 'HUB-LYS'
			 cross join public.sites ts
			 where ts.code = 'HUB-MRS' and v.plate is not null and v.status in ('in_stock', 'on_site', 'ready')
			   and not exists (select 1 from public.transfers t where t.vehicle_id = v.id and t.status not in ('received', 'cancelled'))
			   and (select count(*) from public.vehicles w where w.plate = v.plate) = 1
			 order by v.plate desc limit 1`
		);
		const v = rows[0];
		if (!v) throw new Error('The demo data has no free vehicle at HUB-LYS');
		const director = (await db.query(`select id from public.profiles where email = 'directeur@relais.demo'`)).rows[0].id;
		const transfer = await db.query(
			`insert into public.transfers (organisation_id, vehicle_id, from_site_id, to_site_id, status, reason, driver_id, requested_by)
			 values ($1, $2, $3, $4, 'driver_assigned', 'Suivi carte : rééquilibrage vers Marseille', $5, $6) returning id`,
			[v.organisation_id, v.id, v.from_id, v.to_id, HUGO, director]
		);
		const id = transfer.rows[0].id as string;
		await db.query(
			`insert into public.transfer_events (transfer_id, from_site_id, to_site_id, driver_id, status, note, actor_id, occurred_at)
			 select $1, $2, $3, $4, s.status::public.transfer_status, s.note, $5, now() - s.ago * interval '1 minute'
			 from (values ('requested', 'Suivi carte : rééquilibrage vers Marseille', 30), ('approved', null, 20), ('driver_assigned', 'Hugo, tournée du matin', 10)) as s (status, note, ago)`,
			[id, v.from_id, v.to_id, HUGO, director]
		);
		return { id, vehicleId: v.id, plate: v.plate };
	});
}

/** The arranged transfer leaves the trackers; its vehicle goes back to stock for the next run. */
async function tidy(a: Arranged): Promise<void> {
	await withDatabase(async (db) => {
		await db.query(`update public.transfers set status = 'cancelled' where id = $1`, [a.id]);
		await db.query(`update public.vehicles set status = 'in_stock' where id = $1`, [a.vehicleId]);
	});
}

const mapOf = (page: Page) => page.locator('[data-tracker-map]');
const rowOf = (page: Page, id: string) => page.locator(`[data-tracker-list] > li[data-transfer-id="${id}"]`);

/** The screen point of a site on the map: its label marker sits 10 px right of it, centred. */
async function sitePoint(page: Page, code: string): Promise<{ x: number; y: number }> {
	const box = await page.locator('.tracker-site-label', { hasText: code }).boundingBox();
	if (!box) throw new Error(`${code} is not on the map`);
	return { x: box.x - 10, y: box.y + box.height / 2 };
}

test.describe('the transfer tracker', () => {
	test('draws transfers in flight, follows the driver live, opens a timeline from the map and downloads the delivery note', async ({ browser }) => {
		test.setTimeout(120_000);
		const a = await arrange();
		try {
			const director = await openAs(browser, 'directeur@relais.demo', '/transfers/map');
			await waitUntilLive(director);
			const map = mapOf(director);
			await expect(map).toHaveAttribute('data-map-state', 'ready', { timeout: 20_000 });

			// Every transfer with coordinates is drawn, once; the client delivery is listed and said to be line-less.
			const drawnRows = await director.locator('[data-tracker-list] > li[data-line="drawn"]').count();
			expect(drawnRows).toBeGreaterThan(0);
			await expect(map).toHaveAttribute('data-rendered-lines', String(drawnRows));
			await expect(director.locator('[data-tracker-list] > li[data-line="none"]').first()).toContainText('pas de tracé');
			await expect(director.locator('[data-tracker-lineless]')).toBeVisible();
			await expect(director.locator('[data-tracker-rule]')).toContainText('70 km/h');
			const mine = rowOf(director, a.id);
			await expect(mine).toHaveAttribute('data-status', 'driver_assigned');
			await expect(mine).toContainText('de route une fois parti');
			const onRoad = Number(await map.getAttribute('data-rendered-road'));
			await markDocument(director);
			await shoot(director, 'tracker-desktop');

			// The driver, on a phone in another browser, takes the car and sets off.
			const driver = await openAs(browser, 'chauffeur@relais.demo', '/transfers', { viewport: phone, hasTouch: true });
			await waitUntilLive(driver);
			const card = driver.locator(`[data-transfers] > li[data-transfer-id="${a.id}"]`);
			await card.getByRole('button', { name: 'Pris en charge', exact: true }).click();
			await expect(card).toHaveAttribute('data-status', 'picked_up');
			await card.getByRole('button', { name: 'En route', exact: true }).click();
			await expect(card).toHaveAttribute('data-status', 'in_transit');

			// The tracker follows in place: the row's status and arrival estimate, the line now solid.
			await expect(mine).toHaveAttribute('data-status', 'in_transit', { timeout: 5_000 });
			await expect(mine).toContainText('arrivée prévue vers');
			await expect(map).toHaveAttribute('data-rendered-road', String(onRoad + 1), { timeout: 5_000 });
			await expect(map).toHaveAttribute('data-rendered-lines', String(drawnRows));
			expect(await documentIsMarked(director), 'the tracker updated without a reload').toBe(true);

			// Clicking the line on the map opens the transfer's row with its timeline.
			const from = await sitePoint(director, 'HUB-LYS');
			const to = await sitePoint(director, 'HUB-MRS');
			await director.mouse.click((from.x + to.x) / 2, (from.y + to.y) / 2);
			const detail = mine.locator('[data-tracker-detail]');
			await expect(detail).toBeVisible();
			await expect(detail.locator('[data-event]')).toHaveCount(5);
			await expect(detail.locator('[data-event="picked_up"]')).toContainText('Hugo Girard');
			await shoot(director, 'tracker-selected-desktop');

			// Delivered: the note downloads from the transfer's page, with the sending site's legal details.
			await card.getByRole('button', { name: 'Livré', exact: true }).click();
			await expect(card).toHaveAttribute('data-status', 'delivered');
			await expect(card.getByRole('link', { name: 'Bon de livraison (PDF)' })).toBeVisible();
			await detail.getByRole('link', { name: 'Ouvrir la fiche' }).click();
			await expect(director.locator(`[data-transfer-page="${a.id}"]`)).toHaveAttribute('data-status', 'delivered');
			const [download] = await Promise.all([director.waitForEvent('download'), director.getByRole('link', { name: 'Bon de livraison (PDF)' }).click()]);
			expect(download.suggestedFilename()).toBe(`TR-${a.id.slice(0, 8).toUpperCase()}.pdf`);
			const text = await pdfText(new Uint8Array(readFileSync(await download.path())));
			for (const expected of ['Bon de livraison de transfert', 'Relais Logistique Lyon SAS', 'SIRET 85234917400015', a.plate, 'Hub Marseille Vitrolles', 'Hugo Girard']) {
				expect(text).toContain(expected);
			}
			for (const step of ['Demandé', 'Approuvé', 'Chauffeur affecté', 'Pris en charge', 'En route', 'Livré']) expect(text).toContain(step);
			await shoot(director, 'transfer-page-desktop');

			await driver.context().close();
			await director.context().close();
		} finally {
			await tidy(a);
		}
	});

	test('on a phone: the map above the list, filtered by status from the URL', async ({ browser }) => {
		// An unknown site in the URL is dropped, not an error; the status filter applies.
		const page = await openAs(browser, 'directeur@relais.demo', '/transfers/map?status=driver_assigned&site=lyon', { viewport: phone, hasTouch: true });
		const map = mapOf(page);
		await expect(map).toHaveAttribute('data-map-state', 'ready', { timeout: 20_000 });
		const rows = page.locator('[data-tracker-list] > li');
		await expect(rows.first()).toBeVisible();
		for (const status of await rows.evaluateAll((items) => items.map((li) => li.getAttribute('data-status')))) expect(status).toBe('driver_assigned');
		await expect(map).toHaveAttribute('data-rendered-lines', String(await page.locator('[data-tracker-list] > li[data-line="drawn"]').count()));
		await expect(map).toHaveAttribute('data-rendered-road', '0');
		const mapBox = (await map.boundingBox())!;
		const listBox = (await rows.first().boundingBox())!;
		expect(mapBox.y + mapBox.height, 'the map comes first on a phone').toBeLessThanOrEqual(listBox.y);
		await shoot(page, 'tracker-phone');
		await page.context().close();
	});
});
