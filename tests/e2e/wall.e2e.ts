import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { arrangeTaskForToday, documentIsMarked, markDocument, openAs, waitUntilReady, withDatabase } from './support';

/**
 * The KPI wall on a TV: signed in with a device token an admin created (never a person's
 * session), its counter moves when an operator completes a task in another browser, and it is
 * disconnected the moment the admin revokes it.
 */
test('a wall screen follows a task completed elsewhere and is disconnected when revoked', async ({ browser }) => {
	const task = await arrangeTaskForToday('Europa Location');

	// The admin creates a screen for HUB-LYS showing the key figures only.
	const admin = await openAs(browser, 'admin@relais.demo', '/admin/devices');
	const name = `TV atelier ${Date.now()}`;
	await admin.getByLabel('Nom').fill(name);
	const hub = await admin.locator('#device-site option', { hasText: 'HUB-LYS' }).getAttribute('value');
	await admin.getByLabel('Chiffres de').selectOption(hub!);
	for (const panel of ["Durée d'immobilisation", 'Comparaison des sites', 'Charge des équipes', 'Tendances sur 12 semaines', 'Pipeline des ventes']) {
		await admin.getByLabel(panel).uncheck();
	}
	await admin.getByRole('button', { name: "Créer l'écran" }).click();
	const link = (await admin.locator('[data-device-url]').textContent())!.trim();
	expect(link).toMatch(/\/wall\?token=[A-Za-z0-9_-]{43}$/);
	await admin.screenshot({ path: 'tests/screenshots/admin-devices-desktop.png', fullPage: true });

	// The TV: a browser with nobody signed in opens the link once; the token leaves the address bar.
	const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const tv = await tvContext.newPage();
	await tv.goto(link);
	await waitUntilReady(tv);
	await expect(tv).toHaveURL(/\/wall$/);
	const wall = tv.locator('[data-wall]');
	await expect(wall).toHaveAttribute('data-wall-state', 'live');
	await expect(wall).toHaveAttribute('data-live', 'true', { timeout: 15_000 });
	const done = tv.locator('[data-kpi-tile="tasks_done"]');
	const before = Number(await done.getAttribute('data-current'));
	await markDocument(tv);

	// An operator's lead finishes the task on their phone.
	const chef = await openAs(browser, 'chef@relais.demo', '/today', { viewport: { width: 390, height: 844 } });
	const row = chef.locator(`[data-tasks-cards] li[data-task-id="${task.id}"]`);
	await row.getByRole('button', { name: /^Démarrer/ }).click();
	await expect(row).toHaveAttribute('data-status', 'in_progress');
	await row.getByRole('button', { name: /^Terminer/ }).click();
	await expect(row).toHaveAttribute('data-status', 'done');

	await expect(done).toHaveAttribute('data-current', String(before + 1), { timeout: 5_000 });
	expect(await documentIsMarked(tv), 'the wall updated in place, without a reload').toBe(true);
	await tv.screenshot({ path: 'tests/screenshots/wall-1080p.png' });

	// Revoked: the screen is told at once, without a reload, and its token no longer opens the wall.
	await admin.reload();
	admin.once('dialog', (dialog) => dialog.accept());
	await admin.locator('tr', { hasText: name }).getByRole('button', { name: 'Révoquer' }).click();
	await expect(admin.locator('tr', { hasText: name })).toHaveAttribute('data-revoked', 'true');
	await expect(wall).toHaveAttribute('data-wall-state', 'revoked', { timeout: 10_000 });
	await expect(tv.getByRole('heading', { name: 'Cet écran a été déconnecté' })).toBeVisible();
	expect(await documentIsMarked(tv)).toBe(true);
	await tv.goto(link);
	await expect(tv.locator('[data-wall]')).toHaveAttribute('data-wall-state', 'not_connected');

	await Promise.all([admin.context().close(), chef.context().close(), tvContext.close()]);
});

test('every panel of the wall at 1080p, for the organisation, amounts shown', async ({ browser }) => {
	const token = randomBytes(32).toString('base64url');
	await withDatabase((db) =>
		db.query(
			`insert into public.kpi_devices (organisation_id, name, token_hash, panels, rotate_seconds, shows_money)
			 select organisation_id, 'Direction', $1, '{headline,immobilisation,sites,workload,trends}', 5, true from public.sites where code = 'HUB-LYS'`,
			[createHash('sha256').update(token).digest('hex')]
		)
	);
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const tv = await context.newPage();
	await tv.goto(`/wall?token=${token}`);
	// The panels turn from the moment the page is interactive.
	await waitUntilReady(tv);
	for (const panel of ['headline', 'immobilisation', 'sites', 'workload', 'trends']) {
		await expect(tv.locator(`[data-kpi-panel="${panel}"]`)).toBeVisible({ timeout: 10_000 });
		// Charts draw without animation on the wall; give the canvas a frame.
		await tv.waitForTimeout(300);
		await tv.screenshot({ path: `tests/screenshots/wall-${panel}.png` });
	}
	await context.close();
});
