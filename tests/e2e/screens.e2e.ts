import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openAs, waitUntilLive } from './support';

/**
 * Screenshots of the main screens at the sizes they are used at, for a human to look at
 * (tests/screenshots/*.png, not committed). Each also checks the page has no horizontal
 * overflow, the commonest layout break on phones and walls.
 */
const DIR = 'tests/screenshots';
mkdirSync(DIR, { recursive: true });

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const wall = { width: 1920, height: 1080 };

async function expectNoHorizontalOverflow(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'page is wider than the viewport').toBeLessThanOrEqual(0);
}

test.describe('screens', () => {
	test('login', async ({ browser }) => {
		for (const [name, viewport] of [
			['login', desktop],
			['login-phone', phone]
		] as const) {
			const page = await browser.newPage({ viewport });
			await page.goto('/login');
			await page.locator('form button[type="submit"]').click();
			await expect(page.locator('#email-error')).toBeVisible();
			await expectNoHorizontalOverflow(page);
			await page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true });
			await page.close();
		}
	});

	test('today: desktop, phone and wall', async ({ browser }) => {
		const page = await openAs(browser, 'responsable@relais.demo', '/today', { viewport: desktop });
		await waitUntilLive(page);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: `${DIR}/today-desktop.png`, fullPage: true });

		await page.setViewportSize(phone);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: `${DIR}/today-phone.png`, fullPage: true });

		await page.setViewportSize(wall);
		await page.goto('/today?wall=1');
		await waitUntilLive(page);
		await expect(page.locator('[data-wall]')).toBeVisible();
		await expect(page.locator('nav')).toHaveCount(0);
		await expect(page.locator('.skip-link')).toHaveCount(0);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: `${DIR}/today-wall.png` });
		await page.context().close();
	});

	test('portal: desktop and phone', async ({ browser }) => {
		const page = await openAs(browser, 'client@relais.demo', '/portal', { viewport: desktop });
		await waitUntilLive(page);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: `${DIR}/portal-desktop.png`, fullPage: true });

		await page.setViewportSize(phone);
		await expectNoHorizontalOverflow(page);
		await page.screenshot({ path: `${DIR}/portal-phone.png`, fullPage: true });
		await page.context().close();
	});
});
