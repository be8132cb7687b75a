import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { arrangeTaskForToday, openAs, setCurrentSite, withDatabase } from './support';

/** The board of HUB-LYS, synced with the server (the live document has arrived). */
async function openBoard(browser: import('@playwright/test').Browser, email: string, options = {}): Promise<Page> {
	await setCurrentSite(email, 'HUB-LYS');
	const page = await openAs(browser, email, '/board', options);
	await expect(page.locator('[data-board]')).toHaveAttribute('data-synced', '', { timeout: 15_000 });
	return page;
}

/** Drags with the mouse the way a person does: press, move in steps, release. */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
	await from.scrollIntoViewIfNeeded();
	const a = (await from.boundingBox())!;
	await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
	await page.mouse.down();
	await to.scrollIntoViewIfNeeded();
	const b = (await to.boundingBox())!;
	await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 5 });
	await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 30), { steps: 15 });
	// Hover before letting go, as a hand does: the drag library finds the zone under the card on
	// its own timer, and on a busy machine a release right after the last move can come first.
	await page.mouse.move(b.x + b.width / 2 + 2, b.y + Math.min(b.height / 2, 30) + 2, { steps: 2 });
	await page.waitForTimeout(300);
	await page.mouse.up();
}

test('two leads on the same board: presence, and a drag in one shows in the other', async ({ browser }) => {
	// Three people sign in and open the board: more than one page's worth of time.
	test.slow();
	const lead = await openBoard(browser, 'chef@relais.demo');
	const manager = await openBoard(browser, 'responsable@relais.demo');

	// Each sees both people on the board.
	for (const page of [lead, manager]) {
		await expect(page.locator('[data-presence] [data-present]')).toHaveCount(2);
	}

	// The first card of the backlog goes to the first lane, on the first day of the week.
	const card = lead.locator('aside [data-card]').first();
	const id = (await card.getAttribute('data-card'))!;
	const target = lead.locator('tbody tr').first().locator('td').first();
	const cellKey = (await target.getAttribute('data-cell'))!;
	await drag(lead, card, target);
	await expect(lead.locator(`[data-cell="${cellKey}"] [data-card="${id}"]`)).toBeVisible();

	// The other lead sees it arrive without reloading, and the task is planned in the database.
	await expect(manager.locator(`[data-cell="${cellKey}"] [data-card="${id}"]`)).toBeVisible({ timeout: 5_000 });
	await expect(manager.locator(`aside [data-card="${id}"]`)).toHaveCount(0);
	await expect
		.poll(() => withDatabase(async (db) => (await db.query('select planned_on is not null as planned from public.tasks where id = $1', [id])).rows[0].planned))
		.toBe(true);

	// A read-only viewer (the director) sees the board but cannot pick a card up.
	const director = await openBoard(browser, 'directeur@relais.demo');
	await expect(director.locator('[data-read-only]')).toBeVisible();
	await expect(director.locator('[data-suggest]')).toHaveCount(0);

	for (const page of [lead, manager, director]) await page.context().close();
});

test('an operator marking a task done on a phone flips the card on the board live', async ({ browser }) => {
	const task = await arrangeTaskForToday('Europa Location');
	const lead = await openBoard(browser, 'chef@relais.demo');
	const card = lead.locator(`tbody [data-card="${task.id}"]`);
	await expect(card).toHaveAttribute('data-status', 'planned');

	const phone = await openAs(browser, 'operateur@relais.demo', '/today', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
	const row = phone.locator(`[data-tasks-cards] li[data-task-id="${task.id}"]`);
	await row.getByRole('button', { name: /^Terminer/ }).tap();
	await expect(row).toHaveAttribute('data-status', 'done');

	await expect(card).toHaveAttribute('data-status', 'done', { timeout: 5_000 });
	await expect(card.locator('[data-finished]')).toBeVisible();
	for (const page of [lead, phone]) await page.context().close();
});

test('board screens: desktop, phone and a 1080p wall readable from across the room', async ({ browser }) => {
	mkdirSync('tests/screenshots', { recursive: true });
	const page = await openBoard(browser, 'chef@relais.demo', { viewport: { width: 1440, height: 900 } });
	await page.screenshot({ path: 'tests/screenshots/board-desktop.png' });

	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.locator('[data-phone-board]')).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'tests/screenshots/board-phone.png' });

	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto('/board?wall=1');
	await expect(page.locator('[data-board-wall]')).toBeVisible();
	await expect(page.locator('nav')).toHaveCount(0);
	expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
	// Lane names and plates at 24 px or more: legible at three metres on a 1080p TV.
	const smallest = await page
		.locator('[data-wall-lane] h2, [data-wall-lane] .plate')
		.evaluateAll((els) => Math.min(...els.map((el) => parseFloat(getComputedStyle(el).fontSize))));
	expect(smallest).toBeGreaterThanOrEqual(24);
	await page.screenshot({ path: 'tests/screenshots/board-wall.png' });
	await page.context().close();
});
