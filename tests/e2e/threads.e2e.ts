import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { listMail } from '../../src/lib/server/notify/mailbox';
import { arrangeTaskForToday, documentIsMarked, markDocument, openAs, waitUntilLive, withDatabase } from './support';

/**
 * Ticket threads end to end: a client asks a question from a task line in the portal, a CSM
 * answers from the inbox (after an internal note the client must never see), the client sees
 * the answer without a reload and by email (the app's local SMTP server), and another client
 * account sees nothing of it.
 */
const DIR = 'tests/screenshots';
// The e2e server's DATA_DIR (scripts/e2e.js): its local SMTP server writes each mail there.
const MAIL_DIR = path.join('.data/e2e', 'mail');
mkdirSync(DIR, { recursive: true });
const phone = { width: 390, height: 844 };

async function shoot(page: Page, name: string) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, `${name} is wider than the viewport`).toBeLessThanOrEqual(0);
	await page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true });
}

test('a client asks from a task line, a CSM answers from the inbox, the client sees it live; another client sees nothing', async ({ browser }) => {
	// Six browser contexts and eight screenshots.
	test.slow();
	const task = await arrangeTaskForToday('Europa Location');
	const orderId = await withDatabase(async (db) => (await db.query(`select order_id from public.tasks where id = $1`, [task.id])).rows[0].order_id as string);
	const since = new Date();
	const stamp = Date.now().toString(36);
	const question = `Pouvez-vous vérifier la rayure sur la portière ? (${stamp})`;
	const note = `Note interne : client à rappeler (${stamp})`;
	const answer = `Bonjour, c'est vérifié, la rayure sera reprise demain. (${stamp})`;

	// The client asks from the task line of its order.
	const client = await openAs(browser, 'client@relais.demo', `/portal/orders/${orderId}`);
	await shoot(client, 'portal-order-desktop');
	await client.locator(`[data-task-line="${task.id}"] [data-ask-question]`).click();
	await client.waitForURL(/\/portal\/threads\/new/);
	await expect(client.locator('[data-subject-label]')).toContainText(task.plate);
	await client.locator('textarea[name="body"]').fill(question);
	await client.locator('[data-new-thread] [data-send]').click();
	await client.waitForURL(/\/portal\/threads\/[0-9a-f-]{36}$/);
	const threadId = client.url().split('/').pop()!;
	await expect(client.locator('[data-messages]')).toContainText(question);
	await waitUntilLive(client);
	await markDocument(client);

	// The CSM finds it in the inbox, leaves an internal note, then answers.
	const csm = await openAs(browser, 'csm@relais.demo', '/inbox');
	const row = csm.locator(`[data-thread-row="${threadId}"]`);
	await expect(row).toBeVisible();
	await expect(row).toHaveAttribute('data-unread', '1');
	await shoot(csm, 'inbox-desktop');
	await row.locator('[data-thread-link]').click();
	await csm.waitForURL(`**/threads/${threadId}`);
	await waitUntilLive(csm);
	await expect(csm.locator('[data-messages]')).toContainText(question);

	await csm.locator('[data-internal-toggle]').check();
	await csm.locator('[data-composer] textarea').fill(note);
	await csm.locator('[data-composer] [data-send]').click();
	await expect(csm.locator('[data-message][data-internal]')).toContainText(note);
	await csm.locator('[data-composer] textarea').fill(answer);
	await csm.locator('[data-composer] [data-send]').click();
	await expect(csm.locator('[data-messages]')).toContainText(answer);
	await shoot(csm, 'thread-desktop');

	// The client sees the answer without a reload, and never the note.
	await expect(client.locator('[data-messages]')).toContainText(answer, { timeout: 5_000 });
	expect(await documentIsMarked(client), 'the thread updated in place, without a reload').toBe(true);
	await expect(client.locator('[data-messages]')).not.toContainText(note);
	expect(await client.content()).not.toContain(note);
	// Reading it is a receipt the CSM sees live. Reading needs the page on screen: headless
	// Chromium may count a window behind the others as hidden, so the client's comes to the front.
	await client.bringToFront();
	await expect(csm.locator('[data-seen]')).not.toBeEmpty({ timeout: 15_000 });
	await shoot(client, 'portal-thread-desktop');

	// The answer also reaches the client by email; no mail to anyone carries the internal note.
	const mails = async () => (await listMail(MAIL_DIR)).filter((m) => m.date !== null && m.date.getTime() >= since.getTime() - 1000);
	const answered = async () => (await mails()).filter((m) => m.to.includes('client@relais.demo') && m.text.includes(answer));
	await expect.poll(async () => (await answered()).length, { timeout: 20_000 }).toBe(1);
	const sent = await mails();
	expect(sent.filter((m) => m.text.includes(note) || m.html.includes(note))).toEqual([]);
	expect(sent.filter((m) => m.to.includes('client2@relais.demo'))).toEqual([]);

	// Another client account: not in its list, and the thread itself is a 404.
	const rentix = await openAs(browser, 'client2@relais.demo', '/portal/threads');
	await expect(rentix.locator(`[data-thread-row="${threadId}"]`)).toHaveCount(0);
	const response = await rentix.goto(`/portal/threads/${threadId}`);
	expect(response?.status()).toBe(404);
	expect(await rentix.content()).not.toContain(question);

	// Phone sizes of the same screens.
	for (const [who, path, name] of [
		['client@relais.demo', `/portal/orders/${orderId}`, 'portal-order-phone'],
		['client@relais.demo', `/portal/threads/${threadId}`, 'portal-thread-phone'],
		['csm@relais.demo', '/inbox', 'inbox-phone'],
		['csm@relais.demo', `/threads/${threadId}`, 'thread-phone']
	] as const) {
		const page = await openAs(browser, who, path, { viewport: phone });
		await shoot(page, name);
		await page.context().close();
	}

	await Promise.all([client, csm, rentix].map((p) => p.context().close()));
});
