import { expect, test, type Page } from '@playwright/test';
import { openAs, setCurrentSite, waitUntilLive, waitUntilReady, withDatabase } from './support';

const CSM = 'csm@relais.demo';

interface Arranged {
	plates: string[];
	service: string;
}

/** Two Europa Location vehicles at HUB-LYS, and a service there priced today, from the demo data. */
async function arrange(): Promise<Arranged> {
	return withDatabase(async (db) => {
		const vehicles = await db.query<{ plate: string }>(
			`select v.plate from public.vehicles v
			 join public.sites s on s.id = v.site_id and s.code = 'HUB-LYS'
			 join public.client_accounts c on c.id = v.client_account_id and c.name = 'Europa Location'
			 where v.plate is not null order by v.plate limit 2`
		);
		const service = await db.query<{ name_fr: string }>(
			`select sv.name_fr from public.services sv
			 join public.sites s on s.id = sv.site_id and s.code = 'HUB-LYS'
			 where sv.active and exists (
			   select 1 from public.prices p where p.service_id = sv.id and p.client_account_id is null
			     and p.valid_from <= current_date and (p.valid_to is null or p.valid_to >= current_date))
			 order by sv.name_fr limit 1`
		);
		if (vehicles.rows.length < 2 || !service.rows[0]) throw new Error('The demo data lacks Europa vehicles or a priced service at HUB-LYS');
		return { plates: vehicles.rows.map((r) => r.plate), service: service.rows[0].name_fr };
	});
}

const orderCount = () =>
	withDatabase(async (db) => (await db.query<{ n: number }>('select count(*)::int as n from public.orders')).rows[0].n);

async function fillOrder(page: Page, vehicles: string, service: string): Promise<void> {
	await page.getByLabel('Client').selectOption({ label: 'Europa Location' });
	await page.getByLabel('Échéance').fill('2030-06-30');
	await page.getByLabel('Véhicules').fill(vehicles);
	await page.getByRole('checkbox', { name: service, exact: true }).check();
	await page.getByRole('button', { name: 'Créer la commande' }).click();
}

test.describe('orders', () => {
	test.beforeAll(async () => {
		await setCurrentSite(CSM, 'HUB-LYS');
	});

	test('a CSM pastes two plates, picks a service, and finds the order in the list', async ({ browser }) => {
		const { plates, service } = await arrange();
		const page = await openAs(browser, CSM, '/orders/new');
		await fillOrder(page, `${plates[0]}\n${plates[1].replace(/-/g, ' ').toLowerCase()}`, service);

		await page.waitForURL(/\/orders\?created=/);
		const reference = new URL(page.url()).searchParams.get('created')!;
		expect(reference).toMatch(/^CMD-\d{4}-\d{4}$/);
		await expect(page.locator('[data-order-created]')).toContainText(reference);
		const row = page.locator(`[data-order="${reference}"]`);
		await expect(row).toContainText('Europa Location');
		await expect(row.locator('[data-progress]')).toHaveText('0 / 2');
		await waitUntilLive(page);
		await page.context().close();
	});

	test('a paste with an unknown plate shows the line at fault and creates nothing', async ({ browser }) => {
		const { plates, service } = await arrange();
		const before = await orderCount();
		const page = await openAs(browser, CSM, '/orders/new');
		await fillOrder(page, `${plates[0]}\nZZ-999-ZZ`, service);

		const lineError = page.locator('[data-line-errors] [data-line="2"]');
		await expect(lineError).toContainText('Ligne 2 (ZZ-999-ZZ)');
		await expect(lineError).toContainText('véhicule introuvable');
		await expect(page.getByLabel('Véhicules')).toHaveAttribute('aria-invalid', 'true');
		// What was typed stays, so the fix is one line away.
		await expect(page.getByLabel('Véhicules')).toHaveValue(`${plates[0]}\nZZ-999-ZZ`);
		expect(await orderCount()).toBe(before);
		await waitUntilReady(page);
		await page.context().close();
	});
});
