import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { arrangeGateIn, arrangeTaskForToday, openAs, waitUntilLive, waitUntilReady, withDatabase } from './support';

/**
 * A yard phone on a poor connection: actions taken offline wait in the phone's outbox (shown to
 * the operator) and land once each, in order, when the network is back; an action whose answer
 * was lost on the way is sent again and still lands once; a gate-in with its photo waits too.
 */
const DIR = 'tests/screenshots';
mkdirSync(DIR, { recursive: true });
const phone = { width: 390, height: 844 };

async function shoot(page: Page, name: string) {
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true });
}

/** The task's status, and how many changes the operator made to it since `since`. */
async function serverSide(taskId: string, since: Date) {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`select t.status,
			        (select count(*)::int from public.audit_log a
			         where a.table_name = 'tasks' and a.row_id = t.id and a.occurred_at >= $2
			           and a.actor_id = (select id from auth.users where email = 'operateur@relais.demo')) as changes
			 from public.tasks t where t.id = $1`,
			[taskId, since]
		);
		return rows[0] as { status: string; changes: number };
	});
}

test('two actions taken offline wait on the phone, then land once each when it is back online', async ({ browser }) => {
	const task = await arrangeTaskForToday('Europa Location');
	const since = new Date();
	const page = await openAs(browser, 'operateur@relais.demo', '/today', { viewport: phone, serviceWorkers: 'allow' });
	// Once the app's service worker controls the page, it keeps a copy of the screen for offline.
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload();
	await waitUntilLive(page);
	const card = page.locator(`[data-tasks-cards] [data-task-id="${task.id}"]`);
	const outbox = page.locator('[data-outbox]');

	await page.context().setOffline(true);
	await expect(outbox).toContainText('Hors ligne');
	await card.locator('[data-action="start"]').click();
	await expect(card).toHaveAttribute('data-status', 'in_progress');
	await card.locator('[data-action="complete"]').click();
	await expect(card).toHaveAttribute('data-status', 'done');
	await expect(outbox).toHaveAttribute('data-pending', '2');
	await expect(outbox).toContainText('2 actions en attente d’envoi');
	await expect(card.locator('[data-queued]')).toBeVisible();
	await outbox.locator('summary').click();
	await expect(outbox.locator('[data-outbox-list] li')).toHaveText([/Démarrer/i, /Terminer/i]);
	await shoot(page, 'offline-pending-phone');
	expect(await serverSide(task.id, since)).toEqual({ status: 'planned', changes: 0 });

	// Reopened without a network, the screen comes from the phone and still holds the queue.
	await page.reload();
	await waitUntilReady(page);
	await expect(outbox).toHaveAttribute('data-pending', '2');
	await expect(card).toHaveAttribute('data-status', 'done');

	await page.context().setOffline(false);
	await expect(outbox).toHaveCount(0);
	await expect(card).toHaveAttribute('data-status', 'done');
	await expect(card.locator('[data-queued]')).toHaveCount(0);
	expect(await serverSide(task.id, since)).toEqual({ status: 'done', changes: 2 });

	// The outbox is empty for good: a reload sends nothing again.
	await page.reload();
	await waitUntilLive(page);
	await expect(outbox).toHaveCount(0);
	expect(await serverSide(task.id, since)).toEqual({ status: 'done', changes: 2 });
	await page.context().close();
});

test('an action whose answer is lost is sent again and lands once', async ({ browser }) => {
	const task = await arrangeTaskForToday('Europa Location');
	const since = new Date();
	const page = await openAs(browser, 'operateur@relais.demo', '/today', { viewport: phone });
	await waitUntilLive(page);
	const card = page.locator(`[data-tasks-cards] [data-task-id="${task.id}"]`);
	const outbox = page.locator('[data-outbox]');

	// The request reaches the server, which starts the task; the answer never comes back.
	await page.route('**/today?/start', async (route) => {
		await route.fetch();
		await route.abort('connectionreset');
	});
	await card.locator('[data-action="start"]').click();
	await expect(outbox).toHaveAttribute('data-pending', '1');
	expect(await serverSide(task.id, since)).toEqual({ status: 'in_progress', changes: 1 });

	await page.unroute('**/today?/start');
	await outbox.getByRole('button', { name: 'Envoyer maintenant' }).click();
	await expect(outbox).toHaveCount(0);
	await expect(card).toHaveAttribute('data-status', 'in_progress');
	// Without the receipt, the replay would have been refused as stale and shown as refused.
	await expect(page.locator('[data-outbox-refused]')).toHaveCount(0);
	expect(await serverSide(task.id, since)).toEqual({ status: 'in_progress', changes: 1 });
	await page.context().close();
});

test('a gate-in recorded offline, photo included, lands once when the network is back', async ({ browser }) => {
	const a = await arrangeGateIn();
	const page = await openAs(browser, 'operateur@relais.demo', '/yard/gate', { viewport: phone, isMobile: true, hasTouch: true });
	await waitUntilLive(page);
	await page.getByLabel('Immatriculation ou VIN').fill(a.plate);
	await page.getByLabel('Immatriculation ou VIN').press('Enter');
	await expect(page.locator('[data-bay]')).toHaveValue(a.bayId);

	await page.context().setOffline(true);
	await page.getByLabel('Kilométrage').fill('31000');
	const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
	await page.locator('[data-photo-input]').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: png });
	await expect(page.locator('[data-photos] img')).toHaveCount(1);
	await page.locator('[data-gate-in] [data-submit]').click();
	const outbox = page.locator('[data-outbox]');
	await expect(outbox).toHaveAttribute('data-pending', '1');
	await expect(page.locator('[data-photos] img')).toHaveCount(0);
	const movements = () =>
		withDatabase(async (db) => {
			const { rows } = await db.query(
				`select m.bay_id, jsonb_array_length(i.photos) as photos, i.mileage_km
				 from public.movements m join public.inspections i on i.movement_id = m.id
				 where m.vehicle_id = $1 and m.kind = 'gate_in' and m.occurred_at >= $2`,
				[a.vehicleId, a.since]
			);
			return rows;
		});
	expect(await movements()).toEqual([]);

	await page.context().setOffline(false);
	await expect(outbox).toHaveCount(0);
	expect(await movements()).toEqual([{ bay_id: a.bayId, photos: 1, mileage_km: 31000 }]);
	await page.context().close();
});
