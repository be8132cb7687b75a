import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openAs, setCurrentSite, waitUntilReady, withDatabase } from './support';

/**
 * Order intake: a CSM imports a CSV file (a bad row refuses it, row by row; the fixed file goes
 * through), a client orders from the portal and follows the order; the new screens are shot at
 * desktop and phone sizes into /tmp/shots-orders for a human to look at.
 */
const SHOTS = '/tmp/shots-orders';
mkdirSync(SHOTS, { recursive: true });
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

/** A VIN no run has used (digits only after the maker code: never I, O or Q). */
const freshVin = () => `VF1E2E${String(Date.now()).slice(-11)}`;

async function europaPlateAtLyon(): Promise<string> {
	return withDatabase(async (db) => {
		const { rows } = await db.query<{ plate: string }>(
			`select v.plate from public.vehicles v
			 join public.sites s on s.id = v.site_id and s.code = 'HUB-LYS'
			 join public.client_accounts c on c.id = v.client_account_id and c.name = 'Europa Location'
			 where v.plate is not null order by v.plate desc limit 1`
		);
		return rows[0].plate;
	});
}

const orderCount = () => withDatabase(async (db) => (await db.query<{ n: number }>('select count(*)::int as n from public.orders')).rows[0].n);
const csvFile = (text: string) => ({ name: 'commande.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8') });

async function shoot(page: Page, name: string) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'page is wider than the viewport').toBeLessThanOrEqual(0);
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test.describe('order intake', () => {
	test('a CSM imports a CSV: a bad row refuses the file row by row, the fixed file makes the order', async ({ browser }) => {
		await setCurrentSite('csm@relais.demo', 'HUB-LYS');
		const plate = await europaPlateAtLyon();
		const vin = freshVin();
		const before = await orderCount();
		const page = await openAs(browser, 'csm@relais.demo', '/orders/new', { viewport: desktop });

		await page.getByLabel('Client').selectOption({ label: 'Europa Location' });
		await page.getByLabel('Échéance').fill('2030-06-30');
		await page.getByRole('tab', { name: 'Importer un CSV' }).click();
		const header = 'vin;immatriculation;marque;modele;energie;prestations';
		await page.getByLabel('Fichier CSV').setInputFiles(csvFile(`${header}\n${vin};;Kia;EV6;électrique;PDI|WASH_EXT\n;${plate};;;;\nVF1SHORT;;Renault;Clio;;\n`));
		// The file is previewed in the grid before it is sent.
		await expect(page.locator('[data-services-grid] [data-grid-row]')).toHaveCount(2);
		await page.getByRole('checkbox', { name: 'Lavage extérieur', exact: true }).check();
		await page.getByRole('button', { name: 'Créer la commande' }).click();

		const report = page.locator('#csv-lines');
		await expect(report.locator('[data-line="4"]')).toHaveText('Ligne 4 (VF1SHORT) : VIN invalide');
		await expect(report).toContainText('rien n’a été enregistré');
		expect(await orderCount()).toBe(before);
		await shoot(page, 'order-new-csv-report-desktop');
		await page.setViewportSize(phone);
		await shoot(page, 'order-new-csv-report-phone');
		await page.setViewportSize(desktop);

		await page.getByLabel('Fichier CSV').setInputFiles(csvFile(`${header}\n${vin};;Kia;EV6;électrique;PDI|WASH_EXT\n;${plate};;;;\n`));
		// Per vehicle: the Kia also gets a tyre change.
		await page.getByRole('checkbox', { name: `Changement de pneumatiques · ${vin}` }).check();
		await expect(page.locator('[data-order-total]')).toContainText('4 tâche(s)');
		await shoot(page, 'order-new-grid-desktop');
		await page.getByRole('button', { name: 'Créer la commande' }).click();

		await page.waitForURL(/\/orders\?created=/);
		const reference = new URL(page.url()).searchParams.get('created')!;
		await expect(page.locator(`[data-order="${reference}"] [data-progress]`)).toHaveText('0 / 4');
		const registered = await withDatabase(async (db) => (await db.query(`select status from public.vehicles where vin = $1`, [vin])).rows[0]);
		expect(registered).toEqual({ status: 'expected' });
		await page.context().close();
	});

	test('a client orders from the portal and follows its progress', async ({ browser }) => {
		const plate = await europaPlateAtLyon();
		const page = await openAs(browser, 'client@relais.demo', '/portal', { viewport: phone });
		await page.getByRole('link', { name: 'Nouvelle commande' }).click();
		await waitUntilReady(page);
		await page.getByRole('link', { name: 'Hub Lyon Saint-Exupéry' }).click();
		await expect(page.getByRole('link', { name: 'Hub Lyon Saint-Exupéry' })).toHaveAttribute('aria-current', 'page');
		// Europa's own price for the full wash (32 €), not the general one (39 €); nobody else's.
		await expect(page.locator('label', { hasText: 'Lavage complet' })).toContainText('32,00');
		await expect(page.getByText('Rentix')).toHaveCount(0);

		await page.getByLabel('Échéance').fill('2030-07-15');
		await page.getByLabel('Véhicules').fill(plate);
		await page.getByRole('checkbox', { name: 'Lavage complet intérieur et extérieur', exact: true }).check();
		await shoot(page, 'portal-order-new-phone');
		await page.setViewportSize(desktop);
		await shoot(page, 'portal-order-new-desktop');
		await page.getByRole('button', { name: 'Créer la commande' }).click();

		await page.waitForURL(/\/portal\?created=/);
		const reference = new URL(page.url()).searchParams.get('created')!;
		await expect(page.locator('[data-order-created]')).toContainText(reference);
		const card = page.locator(`[data-order-reference="${reference}"]`);
		await expect(card).toHaveAttribute('data-total', '1');
		await expect(card.locator(`[data-vehicle-plate="${plate}"]`)).toBeVisible();
		await page.setViewportSize(phone);
		await shoot(page, 'portal-after-order-phone');
		await page.context().close();
	});

	test('price list screens', async ({ browser }) => {
		await setCurrentSite('responsable@relais.demo', 'HUB-LYS');
		const page = await openAs(browser, 'responsable@relais.demo', '/prices', { viewport: desktop });
		await expect(page.locator('[data-price-service="WASH_FULL"]').first()).toBeVisible();
		await shoot(page, 'prices-desktop');
		await page.setViewportSize(phone);
		await shoot(page, 'prices-phone');
		await page.context().close();
	});
});
