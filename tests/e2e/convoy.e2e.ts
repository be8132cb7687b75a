import { expect, test, type Page } from '@playwright/test';
import { openAs, shoot } from './support';

/**
 * The convoy calculator: a client quotes from the portal on a phone, picking communes with the
 * mouse; a CSM quotes on a desktop with the keyboard only; an admin's tariff form refuses a
 * malformed amount field by field and saves a good one. Every quote shows the estimate note.
 */
const phone = { width: 390, height: 844 };

/** The distance shown, in km, read from "≈ 337,5 km". */
async function shownKm(page: Page): Promise<number> {
	const text = (await page.locator('[data-convoy-km]').textContent()) ?? '';
	return Number(text.replace(/[^\d,.]/g, '').replace(',', '.'));
}

test('a client on a phone quotes Lyon → Marseille for an SUV from the portal', async ({ browser }) => {
	const page = await openAs(browser, 'client@relais.demo', '/portal/convoy', { viewport: phone });
	await expect(page.locator('[data-convoy-estimate-note]')).toBeVisible();

	await page.locator('[data-commune-input="from"]').fill('lyo');
	await page.getByRole('listbox').getByRole('option', { name: /^Lyon\b/ }).click();
	await page.locator('[data-commune-input="to"]').fill('marseil');
	await page.getByRole('listbox').getByRole('option', { name: /^Marseille\b/ }).click();
	await page.getByText('SUV / 4×4').click();
	await page.getByRole('button', { name: 'Calculer' }).click();

	const result = page.locator('[data-convoy-result]');
	await expect(result).toContainText('Lyon → Marseille');
	await expect(result).toContainText('SUV');
	await expect(result).toContainText('Supplément SUV');
	expect(await shownKm(page)).toBeGreaterThan(315 * 0.85);
	expect(await shownKm(page)).toBeLessThan(315 * 1.15);
	await expect(page.locator('[data-convoy-total]')).toContainText('€');
	await expect(page.locator('[data-convoy-estimate-note]')).toContainText('Distance estimée');
	await shoot(page, 'convoy-portal-phone');
	await page.context().close();
});

test('a CSM quotes with the keyboard only and reads the tariff', async ({ browser }) => {
	const page = await openAs(browser, 'csm@relais.demo', '/convoy');
	await expect(page.locator('[data-tariff-table]')).toBeVisible();
	await expect(page.locator('[data-tariff-form]')).toHaveCount(0);

	const from = page.locator('[data-commune-input="from"]');
	await from.focus();
	await page.keyboard.type('bordeau');
	await expect(page.getByRole('listbox').getByRole('option').first()).toContainText('Bordeaux');
	await page.keyboard.press('Enter');
	await expect(from).toHaveValue(/^Bordeaux \(/);
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.type('toulouse');
	await expect(page.getByRole('listbox').getByRole('option').first()).toContainText('Toulouse');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('Enter');
	// Into the categories (Citadine is checked), three steps right to Utilitaire, on to Calculer.
	await page.keyboard.press('Tab');
	for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
	await expect(page.getByLabel('Utilitaire')).toBeChecked();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Calculer' })).toBeFocused();
	await page.keyboard.press('Enter');

	const result = page.locator('[data-convoy-result]');
	await expect(result).toContainText('Bordeaux → Toulouse · Utilitaire');
	expect(await shownKm(page)).toBeGreaterThan(245 * 0.85);
	expect(await shownKm(page)).toBeLessThan(245 * 1.15);
	await expect(page.locator('[data-convoy-estimate-note]')).toBeVisible();
	await shoot(page, 'convoy-staff-desktop');
	await page.context().close();
});

test('an admin corrects a malformed tariff and saves it', async ({ browser }) => {
	const page = await openAs(browser, 'admin@relais.demo', '/convoy');
	const form = page.locator('[data-tariff-form]');
	await form.locator('#tariff-minimum').fill('quatre-vingt-dix');
	await form.getByRole('button', { name: 'Enregistrer le tarif' }).click();
	await expect(form.locator('#tariff-minimum')).toHaveAttribute('aria-invalid', 'true');
	await expect(form).toContainText('Un montant en euros');

	await form.locator('#tariff-minimum').fill('90,00');
	await form.getByRole('button', { name: 'Enregistrer le tarif' }).click();
	await expect(page.locator('[data-tariff-done]')).toContainText('Tarif enregistré');
	await expect(form.locator('#tariff-minimum')).not.toHaveAttribute('aria-invalid', 'true');
	await shoot(page, 'convoy-admin-tariff');
	await page.context().close();
});
