import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { notify } from '../../src/lib/server/notify';
import { listMail } from '../../src/lib/server/notify/mailbox';
import { openAs, waitUntilLive, withDatabase } from './support';

/**
 * Notifications end to end: an event reaches the bell of the person it concerns live and their
 * mailbox through the app's own local SMTP server, never another client; preferences and the
 * admins' view of failed deliveries.
 */

const SHOTS = 'tests/screenshots';
// The e2e server's DATA_DIR (playwright.config.ts): its dev SMTP server writes mail there.
const MAIL_DIR = path.join('.data/e2e', 'mail');
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54341/postgres';

const shot = async (page: Page, name: string) => {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png` });
};

const unread = (page: Page) => page.locator('[data-notification-bell] [data-unread-count]');

test.describe('notifications', () => {
	test('a client is told live and by email that its order is ready; another client hears nothing', async ({ browser }) => {
		const { order, europa, rentix } = await withDatabase(async (db) => {
			const people = await db.query<{ email: string; id: string }>(
				`select email, id from public.profiles where email in ('client@relais.demo', 'client2@relais.demo')`
			);
			const ids = Object.fromEntries(people.rows.map((r) => [r.email, r.id]));
			const orders = await db.query<{ id: string; reference: string }>(
				`select o.id, o.reference from public.orders o join public.client_accounts ca on ca.id = o.client_account_id
				 where ca.name = 'Europa Location' order by o.created_at desc limit 1`
			);
			// Start from a bell with nothing unread, so the count below is this test's.
			await db.query(`update public.notifications set read_at = now() where user_id = any($1::uuid[]) and read_at is null`, [Object.values(ids)]);
			return { order: orders.rows[0], europa: ids['client@relais.demo'], rentix: ids['client2@relais.demo'] };
		});
		const client = await openAs(browser, 'client@relais.demo', '/portal');
		const other = await openAs(browser, 'client2@relais.demo', '/portal');
		await Promise.all([waitUntilLive(client), waitUntilLive(other)]);
		await expect(unread(client)).toHaveCount(0);
		const since = new Date();

		const title = `Commande ${order.reference} prête à être livrée`;
		const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
		try {
			const { notified } = await notify(pool, {
				kind: 'order_ready',
				recipients: [europa, rentix],
				subject: { table: 'orders', id: order.id },
				title: { fr: title, en: `Order ${order.reference} ready for delivery` },
				body: { fr: 'Tous les véhicules sont prêts.', en: 'Every vehicle is ready.' },
				link: '/portal'
			});
			expect(notified).toEqual([europa]);
		} finally {
			await pool.end();
		}

		// Live, without a reload.
		await expect(unread(client)).toHaveText('1', { timeout: 10_000 });
		await client.locator('[data-notification-bell]').click();
		await expect(client.locator('[data-notification-list]')).toContainText(title);
		await shot(client, 'notifications-bell-portal');

		// The app's worker sends the email through its local SMTP server.
		const arrived = async () =>
			(await listMail(MAIL_DIR)).filter((m) => m.subject === title && m.date !== null && m.date.getTime() >= since.getTime() - 1000);
		await expect.poll(async () => (await arrived()).length, { timeout: 20_000 }).toBe(1);
		const [mail] = await arrived();
		expect(mail.to).toEqual(['client@relais.demo']);
		expect(mail.text).toContain('Tous les véhicules sont prêts.');

		await client.locator('[data-mark-all-read]').click();
		await expect(unread(client)).toHaveCount(0);
		await expect(unread(other)).toHaveCount(0);
		await other.locator('[data-notification-bell]').click();
		await expect(other.locator('[data-notification-list]')).not.toContainText(title);

		await client.context().close();
		await other.context().close();
	});

	test('a CSM changes their preferences; an admin sees the organisation’s failed deliveries', async ({ browser }) => {
		const csm = await openAs(browser, 'csm@relais.demo', '/settings/notifications');
		const box = csm.locator('input[name="order_created.email"]');
		const before = await box.isChecked();
		await box.setChecked(!before);
		await csm.locator('[data-notify-preferences] button[type="submit"]').click();
		await expect(csm.locator('[data-notify-saved]')).toBeVisible();
		await csm.reload();
		await expect(csm.locator('input[name="order_created.email"]')).toBeChecked({ checked: !before });
		await shot(csm, 'notifications-preferences');
		await csm.context().close();

		await withDatabase(async (db) => {
			const { rows } = await db.query<{ id: string }>(
				`insert into public.notifications (user_id, kind, title, link)
				 select id, 'ticket_reply', 'Réponse à votre demande', '/portal' from public.profiles where email = 'client2@relais.demo' returning id`
			);
			await db.query(
				`insert into public.notification_deliveries (notification_id, channel, status, attempts, last_error)
				 values ($1, 'email', 'failed', 6, '550 5.1.1 <client2@relais.demo>: Recipient address rejected')`,
				[rows[0].id]
			);
		});
		const admin = await openAs(browser, 'admin@relais.demo', '/admin/notifications');
		await expect(admin.locator('[data-notify-failures]')).toContainText('Recipient address rejected');
		await shot(admin, 'notifications-admin');
		await admin.context().close();

		const manager = await openAs(browser, 'responsable@relais.demo', '/admin/notifications');
		await expect(manager.locator('main')).toContainText('réservée aux administrateurs');
		await expect(manager.locator('[data-notify-failures]')).toHaveCount(0);
		await manager.context().close();
	});
});
