import { expect, test } from '@playwright/test';
import { openAs } from './support';

test.describe('transfers in flight', () => {
	test('a driver lands on their own assignments and sees nothing of the yard', async ({ browser }) => {
		const driver = await openAs(browser, 'chauffeur@relais.demo', '/');
		await expect(driver).toHaveURL(/\/transfers$/);
		await expect(driver.getByRole('heading', { name: 'Transferts en cours' })).toBeVisible();
		const cards = driver.locator('[data-transfers] li');
		await expect(cards.first()).toBeVisible();
		// Drivers see the transfers assigned to them, not the other ones of the group.
		const seen = await cards.count();
		const director = await openAs(browser, 'directeur@relais.demo', '/transfers');
		expect(await director.locator('[data-transfers] li').count()).toBeGreaterThan(seen);
		await expect(driver.getByRole('link', { name: "Aujourd'hui" })).toHaveCount(0);
		await driver.context().close();
		await director.context().close();
	});
});
