import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { pdfText } from '../../src/lib/server/documents/pdf-text';
import { arrangeGateIn, documentIsMarked, markDocument, openAs, setCurrentSite, waitUntilLive, withDatabase } from './support';

/**
 * A whole gate-in on a phone: the operator types a plate, sees the vehicle and the suggested
 * bay, records mileage, charge, a damage point and a camera photo (resized on the phone), and
 * submits; the database then holds the movement, the inspection with its photo, the occupied
 * bay and the vehicle on site, and the photo is served to the operator only. The vehicle then
 * leaves through the gate-out for its order, which releases the bay.
 */
const DIR = 'tests/screenshots';
mkdirSync(DIR, { recursive: true });
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function shoot(page: Page, name: string, fullPage = false) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, `${name} is wider than the viewport`).toBeLessThanOrEqual(0);
	await page.screenshot({ path: `${DIR}/${name}.png`, fullPage });
}

/** A 3200 × 2400 PNG drawn by the browser: a camera-sized photo the page must shrink. */
async function cameraPhoto(page: Page): Promise<Buffer> {
	const dataUrl = await page.evaluate(() => {
		const canvas = document.createElement('canvas');
		canvas.width = 3200;
		canvas.height = 2400;
		const ctx = canvas.getContext('2d')!;
		ctx.fillStyle = '#334155';
		ctx.fillRect(0, 0, 3200, 2400);
		ctx.fillStyle = '#f59e0b';
		ctx.fillRect(800, 600, 1600, 1200);
		return canvas.toDataURL('image/png');
	});
	return Buffer.from(dataUrl.split(',')[1], 'base64');
}

test('an operator records a gate-in with a photo on a phone; the yard map shows the vehicle arrive in the suggested bay', async ({ browser }) => {
	test.setTimeout(180_000);
	const a = await arrangeGateIn();
	// The site manager's yard map, open on a desktop while the operator works at the gate.
	await setCurrentSite('responsable@relais.demo', 'HUB-LYS');
	const desk = await openAs(browser, 'responsable@relais.demo', '/yard', { viewport: { width: 1440, height: 900 } });
	await waitUntilLive(desk);
	const deskMap = desk.locator('[data-yard-map]');
	await expect(deskMap).toHaveAttribute('data-map-state', 'ready', { timeout: 20_000 });
	const parked = desk.locator(`[data-yard-zones] li[data-bay="${a.bayNumber}"]`);
	await expect(parked, 'the suggested bay is free').toHaveCount(0);
	// The map is ready before its vehicles are drawn: count them once they are.
	const rendered = async () => Number(await deskMap.getAttribute('data-rendered-vehicles'));
	await expect.poll(rendered, { timeout: 10_000 }).toBeGreaterThan(0);
	const drawnBefore = await rendered();
	await markDocument(desk);

	const page = await openAs(browser, 'operateur@relais.demo', '/yard/gate', phone);

	// Typed as people type plates: lower case, spaces.
	await page.getByLabel('Immatriculation ou VIN').fill(a.plate.replace(/-/g, ' ').toLowerCase());
	await page.getByLabel('Immatriculation ou VIN').press('Enter');
	await expect(page.locator('[data-vehicle]')).toContainText(a.plate);
	await expect(page.locator('[data-bay]')).toHaveValue(a.bayId);
	await expect(page.locator('[data-suggestion]')).toContainText(a.bayNumber);

	await page.getByLabel('Kilométrage').fill('48210');
	await page.locator('#gate-level').fill('40');
	await page.getByRole('radio', { name: 'Bosse' }).click();
	const diagram = page.locator('[data-diagram]');
	const box = (await diagram.boundingBox())!;
	await diagram.tap({ position: { x: box.width * 0.1, y: box.height * 0.2 } });
	await expect(page.locator('[data-damage-list] li')).toHaveCount(1);
	await expect(page.locator('[data-damage-list] li')).toContainText('Aile avant gauche · Bosse');

	const original = await cameraPhoto(page);
	await page.locator('[data-photo-input]').setInputFiles({ name: 'IMG_0042.png', mimeType: 'image/png', buffer: original });
	await expect(page.locator('[data-photos] img')).toHaveCount(1);
	await page.getByLabel('Commentaires').fill('Clés remises au gardien');
	await shoot(page, 'gate-in-phone-form', true);

	await page.locator('[data-gate-in] [data-submit]').click();
	await expect(page.locator('[data-done]')).toContainText(`${a.plate}, place ${a.bayNumber}`);
	await expect(page.locator('[data-done]')).toContainText('1 photo');
	await shoot(page, 'gate-in-phone-done');

	// On the desktop map, without a reload: the vehicle stands in the bay the phone suggested.
	await expect(parked).toHaveAttribute('data-plate', a.plate, { timeout: 5_000 });
	await expect.poll(async () => Number(await deskMap.getAttribute('data-rendered-vehicles')), { timeout: 5_000 }).toBe(drawnBefore + 1);
	expect(await documentIsMarked(desk), 'the map followed in place').toBe(true);
	await desk.locator('#yard-search').fill(a.plate);
	await desk.locator('#yard-search').press('Enter');
	await expect(desk.locator(`[data-vehicle-card="${a.vehicleId}"] [data-card-bay]`)).toContainText(a.bayNumber);
	await desk.screenshot({ path: `${DIR}/yard-map-gate-in-desktop.png` });
	// Its card links the inspection report: the état des lieux, with the plate and the damage.
	const report = await desk.request.get((await desk.locator(`[data-vehicle-card="${a.vehicleId}"] [data-inspection-report]`).getAttribute('href'))!);
	expect(report.headers()['content-type']).toBe('application/pdf');
	const text = await pdfText(new Uint8Array(await report.body()));
	expect(text).toContain('État des lieux du véhicule');
	expect(text).toContain(a.plate);
	expect(text).toContain('Aile avant gauche');
	await desk.context().close();

	const written = await withDatabase(async (db) => {
		const vehicle = (await db.query(`select status, bay_id, mileage_km, arrived_at from public.vehicles where id = $1`, [a.vehicleId])).rows[0];
		const movements = (await db.query(`select id, kind, bay_id from public.movements where vehicle_id = $1 and kind = 'gate_in' and occurred_at >= $2`, [a.vehicleId, a.since])).rows;
		const inspection = (
			await db.query(`select mileage_km, energy_level_percent, damages, photos, comments from public.inspections where movement_id = $1`, [movements[0]?.id])
		).rows[0];
		const audited = (await db.query(`select count(*)::int as n from public.audit_log where table_name = 'movements' and row_id = $1`, [movements[0]?.id])).rows[0].n;
		return { vehicle, movements, inspection, audited };
	});
	expect(written.vehicle).toMatchObject({ status: 'on_site', bay_id: a.bayId, mileage_km: 48210 });
	expect(written.vehicle.arrived_at).not.toBeNull();
	expect(written.movements).toHaveLength(1);
	expect(written.movements[0]).toMatchObject({ kind: 'gate_in', bay_id: a.bayId });
	expect(written.inspection).toMatchObject({ mileage_km: 48210, energy_level_percent: 40, comments: 'Clés remises au gardien' });
	expect(written.inspection.damages).toMatchObject([{ zone: 'front_left', kind: 'dent', severity: 1 }]);
	expect(written.inspection.photos).toHaveLength(1);
	const [stored] = written.inspection.photos;
	expect(stored.type).toBe('image/jpeg');
	expect(stored.size).toBeLessThan(original.byteLength);
	expect(written.audited).toBe(1);

	// The photo, as the page would show it: resized to 1600 px on its longer side.
	const url = `/files/yard-photos/${stored.key}`;
	const size = await page.evaluate(async (src) => {
		const img = new Image();
		img.src = src;
		await img.decode();
		return [img.naturalWidth, img.naturalHeight];
	}, url);
	expect(size).toEqual([1600, 1200]);
	// Nobody signed out reads it.
	const anonymous = await browser.newContext();
	expect((await anonymous.request.get(url, { maxRedirects: 0 })).status()).toBeGreaterThanOrEqual(300);
	await anonymous.close();

	// The same vehicle leaves: gate out for its order, which releases the bay.
	await page.getByRole('link', { name: 'Sortie' }).click();
	await page.waitForURL(/mode=out/);
	await expect(page.getByRole('link', { name: 'Sortie' })).toHaveAttribute('aria-current', 'page');
	await page.getByLabel('Immatriculation ou VIN').fill(a.plate);
	await page.getByLabel('Immatriculation ou VIN').press('Enter');
	await expect(page.locator('[data-vehicle]')).toContainText(a.bayNumber);
	const orderId = await page.locator('#gate-order').inputValue();
	await page.getByLabel('Kilométrage').fill('48215');
	await shoot(page, 'gate-out-phone-form');
	await page.locator('[data-gate-out] [data-submit]').click();
	await expect(page.locator('[data-done]')).toContainText(`${a.plate} est livré`);
	const left = await withDatabase(async (db) => ({
		vehicle: (await db.query(`select status, bay_id from public.vehicles where id = $1`, [a.vehicleId])).rows[0],
		out: (await db.query(`select bay_id, order_id from public.movements where vehicle_id = $1 and kind = 'gate_out' and occurred_at >= $2`, [a.vehicleId, a.since])).rows
	}));
	expect(left.vehicle).toEqual({ status: 'delivered', bay_id: null });
	expect(left.out).toEqual([{ bay_id: a.bayId, order_id: orderId || null }]);
	await page.context().close();
});
