import { expect, test, type Page } from '@playwright/test';
import { arrangeTaskForToday, openAs, setCurrentSite, waitUntilLive, withDatabase } from './support';

/** Posts to a form action the way `use:enhance` does, and returns Kit's JSON answer. */
async function postAction(page: Page, action: string, form: Record<string, string>) {
	const response = await page.request.post(`/today?/${action}`, {
		form,
		headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: new URL(page.url()).origin }
	});
	return (await response.json()) as { type: string; status: number; data: string };
}

test.describe('today: task actions', () => {
	test('starting then finishing a task moves it through its states', async ({ browser }) => {
		const task = await arrangeTaskForToday('Rentix');
		const page = await openAs(browser, 'chef@relais.demo', '/today');
		const row = page.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`);

		await row.getByRole('button', { name: /^Démarrer/ }).click();
		await expect(row).toHaveAttribute('data-status', 'in_progress');
		await expect(row.getByRole('button', { name: /^Démarrer/ })).toHaveCount(0);

		await row.getByRole('button', { name: /^Terminer/ }).click();
		await expect(row).toHaveAttribute('data-status', 'done');
		await expect(row.getByRole('button')).toHaveCount(0);
		await page.context().close();
	});

	test('a role the database refuses gets a clear 403, bad input a 400', async ({ browser }) => {
		const task = await arrangeTaskForToday('Europa Location');
		await setCurrentSite('directeur@relais.demo', 'HUB-LYS');
		// The director reads every site but does not work tasks: no buttons, and the policy says no.
		const director = await openAs(browser, 'directeur@relais.demo', '/today');
		const row = director.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`);
		await expect(row).toHaveAttribute('data-status', 'planned');
		await expect(row.getByRole('button')).toHaveCount(0);

		const refused = await postAction(director, 'complete', { taskId: task.id });
		expect(refused.type).toBe('failure');
		expect(refused.status).toBe(403);
		expect(refused.data).toContain("Vous n'avez pas le droit de modifier cette tâche sur ce site.");

		const invalid = await postAction(director, 'complete', { taskId: 'not-an-id' });
		expect(invalid.status).toBe(400);
		expect(invalid.data).toContain('taskId');

		// Nothing changed.
		await director.reload();
		await expect(row).toHaveAttribute('data-status', 'planned');
		await director.context().close();
	});
});

test('an operator flags a problem on a task from the phone; the manager sees it live; it is cleared', async ({ browser }) => {
	const task = await arrangeTaskForToday('Europa Location');
	await withDatabase((db) => db.query(`update public.tasks set flag_reason = null where id = $1`, [task.id]));
	const phone = await openAs(browser, 'operateur@relais.demo', '/today', { viewport: { width: 390, height: 844 }, hasTouch: true });
	const manager = await openAs(browser, 'responsable@relais.demo', '/today');
	await Promise.all([waitUntilLive(phone), waitUntilLive(manager)]);
	const card = phone.locator(`[data-tasks-cards] [data-task-id="${task.id}"]`);
	const row = manager.locator(`[data-tasks-table] tr[data-task-id="${task.id}"]`);

	await card.getByText('Signaler un problème').click();
	// An empty reason is refused field by field, and nothing is flagged.
	await card.locator('[data-flag-submit]').click();
	await expect(phone.locator('[data-form-error]').first()).toBeVisible();
	await card.getByLabel('Ce qui ne va pas').fill('Pneu arrière crevé');
	await card.locator('[data-flag-submit]').click();
	await expect(card.locator('[data-flagged]')).toHaveText('Problème : Pneu arrière crevé');
	await expect(row.locator('[data-flagged]')).toHaveText('Problème : Pneu arrière crevé', { timeout: 5_000 });
	await phone.screenshot({ path: 'tests/screenshots/today-flag-phone.png', fullPage: true });
	const stamped = await withDatabase(async (db) =>
		(
			await db.query(
				`select t.flag_reason, p.email from public.tasks t join auth.users p on p.id = t.flagged_by where t.id = $1`,
				[task.id]
			)
		).rows[0]
	);
	expect(stamped).toEqual({ flag_reason: 'Pneu arrière crevé', email: 'operateur@relais.demo' });

	await card.getByText('Modifier le signalement').click();
	await card.locator('[data-flag-clear]').click();
	await expect(card.locator('[data-flagged]')).toHaveCount(0);
	await expect(row.locator('[data-flagged]')).toHaveCount(0, { timeout: 5_000 });
	await phone.context().close();
	await manager.context().close();
});

test('the site switcher moves a multi-site person to another site', async ({ browser }) => {
	await setCurrentSite('csm@relais.demo', 'HUB-LYS');
	const page = await openAs(browser, 'csm@relais.demo', '/today');
	const select = page.getByLabel('Site', { exact: true });
	const options = await select.locator('option').allTextContents();
	expect(options.length).toBeGreaterThan(1);
	const other = options.find((o) => !o.startsWith('HUB-LYS'))!;
	await select.selectOption({ label: other });
	await expect(page.locator('h1 + p')).toContainText(other.split(' · ')[1]);
	await expect(page).toHaveURL(/\/today$/);
	await page.context().close();
	await setCurrentSite('csm@relais.demo', 'HUB-LYS');
});

test('without JavaScript, signing in and switching site still work', async ({ browser }) => {
	await setCurrentSite('csm@relais.demo', 'HUB-LYS');
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.locator('#email').fill('csm@relais.demo');
	await page.locator('#password').fill('relais-demo');
	await page.locator('form button[type="submit"]').click();
	await expect(page).toHaveURL(/\/today$/);

	await page.getByLabel('Site', { exact: true }).selectOption({ label: 'HUB-MRS · Hub Marseille Vitrolles' });
	await page.getByRole('button', { name: 'Changer de site' }).click();
	await expect(page.locator('h1 + p')).toContainText('Hub Marseille Vitrolles');
	await context.close();
	await setCurrentSite('csm@relais.demo', 'HUB-LYS');
});
