import { expect, test } from '@playwright/test';
import { arrangeTaskForToday, documentIsMarked, markDocument, openAs, waitUntilLive } from './support';

/**
 * Live updates, end to end: a change made in one browser reaches the other screens allowed to
 * see it without a reload, and only those.
 */
test.describe('live updates', () => {
	test('an operator marks a task done and the site manager sees it at once', async ({ browser }) => {
		const task = await arrangeTaskForToday('Europa Location');
		const operator = await openAs(browser, 'operateur@relais.demo', '/today');
		const manager = await openAs(browser, 'responsable@relais.demo', '/today');
		await Promise.all([waitUntilLive(operator), waitUntilLive(manager)]);

		const managerRow = manager.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`);
		await expect(managerRow).toHaveAttribute('data-status', 'planned');
		await expect(managerRow).toContainText(task.plate);
		await markDocument(manager);

		const operatorRow = operator.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`);
		await operatorRow.locator('[data-action="complete"]').click();
		await expect(operatorRow).toHaveAttribute('data-status', 'done');

		await expect(managerRow).toHaveAttribute('data-status', 'done', { timeout: 5_000 });
		await expect(managerRow.locator('[data-status="done"]')).toHaveText('Terminée');
		expect(await documentIsMarked(manager), 'the manager page updated in place, without a reload').toBe(true);

		await operator.context().close();
		await manager.context().close();
	});

	test('a client sees its order progress live; another client sees nothing of it', async ({ browser }) => {
		const task = await arrangeTaskForToday('Europa Location');
		const europa = await openAs(browser, 'client@relais.demo', '/portal');
		const rentix = await openAs(browser, 'client2@relais.demo', '/portal');
		const operator = await openAs(browser, 'operateur@relais.demo', '/today');
		await Promise.all([waitUntilLive(europa), waitUntilLive(rentix), waitUntilLive(operator)]);

		const order = europa.locator(`[data-order-reference="${task.orderReference}"]`);
		await expect(order).toBeVisible();
		const doneBefore = Number(await order.getAttribute('data-done'));
		const total = Number(await order.getAttribute('data-total'));
		await markDocument(europa);

		// Rentix never sees Europa's order, and its page must not move while Europa's does.
		await expect(rentix.locator(`[data-order-reference="${task.orderReference}"]`)).toHaveCount(0);
		const rentixBefore = await rentix.locator('main').innerText();

		await operator.locator(`[data-tasks-table] tr[data-task-id="${task.id}"] [data-action="complete"]`).click();
		await expect(operator.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`)).toHaveAttribute('data-status', 'done');

		await expect(order).toHaveAttribute('data-done', String(doneBefore + 1), { timeout: 5_000 });
		const noun = total === 1 ? 'prestation terminée' : 'prestations terminées';
		await expect(order.locator('[data-progress-text]')).toHaveText(`${doneBefore + 1} sur ${total} ${noun}`);
		expect(await documentIsMarked(europa), 'the portal updated in place, without a reload').toBe(true);

		// Give a stray update every chance to arrive before comparing.
		await rentix.waitForTimeout(1_500);
		expect(await rentix.locator('main').innerText()).toBe(rentixBefore);
		await expect(rentix.locator(`[data-order-reference="${task.orderReference}"]`)).toHaveCount(0);

		await Promise.all([europa, rentix, operator].map((p) => p.context().close()));
	});
});
