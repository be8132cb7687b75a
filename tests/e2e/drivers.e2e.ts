import { expect, test } from '@playwright/test';
import { openAs, shoot, withDatabase } from './support';

/**
 * Drivers' compliance in the browser: a site manager finds the demo partner driver who cannot
 * be assigned (no ID card on file), sees a bad upload refused field by field, files the ID card
 * and watches the driver become compliant; the file downloads through its authorised route.
 * The driver, on a phone, sees their own record and documents and nobody else's.
 */
const phone = { width: 390, height: 844 };
const JULIEN = `md5('relais-demo/driver/2')::uuid`;

/** Julien Moreau back to his demo state: active, and no ID card on file (earlier runs filed one). */
async function arrange(): Promise<string> {
	return withDatabase(async (db) => {
		await db.query(`delete from public.driver_documents where driver_id = ${JULIEN} and kind = 'id_card'`);
		const { rows } = await db.query(`update public.drivers set active = true where id = ${JULIEN} returning id`);
		return rows[0].id as string;
	});
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const nextYear = `${new Date().getFullYear() + 1}-06-30`;

test('a site manager files the missing ID card of a partner driver, who becomes compliant; the driver sees only their own', async ({ browser }) => {
	test.setTimeout(90_000);
	const julien = await arrange();
	const manager = await openAs(browser, 'responsable@relais.demo', '/drivers');
	const row = manager.locator(`[data-driver-row="${julien}"]`);
	await expect(row.locator('[data-compliance]')).toHaveAttribute('data-compliance', 'blocked');
	await expect(row).toContainText("Pièce d'identité : manquant");
	await shoot(manager, 'drivers-desktop');

	await row.getByRole('link', { name: 'Julien Moreau' }).click();
	await expect(manager).toHaveURL(`/drivers/${julien}`);
	await expect(manager.locator('[data-assignment-block]')).toHaveText("Ne peut pas être affecté : pièce d'identité manquante.");
	const idCard = manager.locator('[data-document="id_card"]');
	await expect(idCard).toHaveAttribute('data-document-state', 'missing');

	// A bad upload: a past date and a file that is no PDF, JPEG or PNG, both refused on their field.
	await idCard.getByRole('button', { name: 'Ajouter' }).click();
	await idCard.getByLabel('Numéro').fill('AB1234567');
	await idCard.getByLabel("Date d'expiration").fill('2020-01-31');
	await idCard.getByLabel('Fichier').setInputFiles({ name: 'carte.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') });
	await idCard.getByRole('button', { name: 'Enregistrer le document' }).click();
	await expect(idCard.getByText('La date d’expiration ne peut pas être passée.')).toBeVisible();
	await expect(idCard.getByText('Seuls les fichiers PDF, JPEG ou PNG sont acceptés.')).toBeVisible();
	await expect(idCard.getByLabel("Date d'expiration")).toHaveAttribute('aria-invalid', 'true');
	await expect(manager.locator('[data-compliance]').first()).toHaveAttribute('data-compliance', 'blocked');
	await shoot(manager, 'driver-upload-errors-desktop');

	// The real thing: a PDF valid until next year.
	await idCard.getByLabel("Date d'expiration").fill(nextYear);
	await idCard.getByLabel('Fichier').setInputFiles({ name: 'carte-identite.pdf', mimeType: 'application/pdf', buffer: pdf });
	await idCard.getByRole('button', { name: 'Enregistrer le document' }).click();
	await expect(idCard).toHaveAttribute('data-document-state', 'valid');
	await expect(manager.locator('[data-compliance]').first()).toHaveAttribute('data-compliance', 'ok');
	await expect(manager.locator('[data-assignment-block]')).toHaveCount(0);
	const fileUrl = (await idCard.locator('[data-document-file]').getAttribute('href'))!;
	const download = await manager.request.get(fileUrl);
	expect(download.status()).toBe(200);
	expect(download.headers()['content-type']).toBe('application/pdf');
	expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
	await shoot(manager, 'driver-detail-desktop');
	await manager.setViewportSize(phone);
	await shoot(manager, 'driver-detail-phone');
	await manager.goto('/drivers');
	await expect(manager.locator(`[data-driver-row="${julien}"] [data-compliance]`)).toHaveAttribute('data-compliance', 'ok');
	await shoot(manager, 'drivers-phone');

	// The driver on a phone: /drivers is their own record, read-only; Julien's page and file are not there for them.
	const driver = await openAs(browser, 'chauffeur@relais.demo', '/drivers', { viewport: phone });
	await expect(driver.locator('[data-driver-name]')).toHaveText('Hugo Girard');
	await expect(driver.locator('[data-document="licence"]')).toHaveAttribute('data-document-state', 'valid');
	await expect(driver.locator('[data-document-edit]')).toHaveCount(0);
	await shoot(driver, 'driver-own-phone');
	expect((await driver.request.get(`/drivers/${julien}`)).status()).toBe(404);
	expect((await driver.request.get(fileUrl)).status()).toBe(404);

	// Anyone else who does not keep drivers is turned away.
	const operator = await openAs(browser, 'operateur@relais.demo', '/today');
	expect((await operator.request.get('/drivers')).status()).toBe(403);
	expect((await operator.request.get(fileUrl)).status()).toBe(404);

	await Promise.all([manager, driver, operator].map((p) => p.context().close()));
});
