import { expect, test } from '@playwright/test';
import { openAs, setCurrentSite, waitUntilLive, withDatabase } from './support';

const CSM = 'csm@relais.demo';

/** An open order at HUB-LYS with at least one task, from the demo data. */
async function anOrderWithVehicles(): Promise<string> {
	return withDatabase(async (db) => {
		const { rows } = await db.query<{ reference: string }>(
			`select o.reference from public.orders o
			 join public.sites s on s.id = o.site_id and s.code = 'HUB-LYS'
			 where o.status = 'open' and exists (select 1 from public.tasks t where t.order_id = o.id)
			 order by o.deadline, o.reference limit 1`
		);
		if (!rows[0]) throw new Error('The demo data lacks an open order with tasks at HUB-LYS');
		return rows[0].reference;
	});
}

test.describe('order page', () => {
	test.beforeAll(async () => {
		await setCurrentSite(CSM, 'HUB-LYS');
	});

	test('a CSM opens an order from the list and sees its workflow and vehicles', async ({ browser }) => {
		const reference = await anOrderWithVehicles();
		const page = await openAs(browser, CSM, '/orders');
		// Connecting the live channel refreshes the list once; let that settle before navigating.
		await waitUntilLive(page);
		await page.locator(`[data-order="${reference}"]`).getByRole('link', { name: reference }).click();

		await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
		await expect(page.locator('[data-order-reference]')).toHaveText(reference);
		const stages = page.locator('ol[data-workflow] > li');
		await expect(stages).toHaveCount(7);
		await expect(page.locator('ol[data-workflow] > li[aria-current="step"]')).toHaveCount(1);
		expect(await page.locator('[data-vehicles] > li').count()).toBeGreaterThan(0);
	});

	test('a malformed id shows the not-found page', async ({ browser }) => {
		const page = await openAs(browser, CSM, '/orders/not-an-id');
		await expect(page.locator('[data-order-not-found]')).toContainText('Cette commande n’existe pas');
	});

	test('an unknown id shows the not-found page too', async ({ browser }) => {
		const page = await openAs(browser, CSM, '/orders/00000000-0000-0000-0000-000000000000');
		await expect(page.locator('[data-order-not-found]')).toBeVisible();
	});
});
