import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { notify } from '../../../src/lib/server/notify';
import { smtpSender } from '../../../src/lib/server/notify/email';
import { listMail, startDevSmtp, type DevSmtp } from '../../../src/lib/server/notify/mailbox';
import { PermanentDeliveryError, type DeliveryJob } from '../../../src/lib/server/notify/jobs';
import { webPushSender } from '../../../src/lib/server/notify/push';
import { httpSmsProvider, smsSender } from '../../../src/lib/server/notify/sms';
import { createDeliveryWorker, type WorkerOptions } from '../../../src/lib/server/notify/worker';
import { privateDatabase } from '../private-database';
import { createWorld, testVin, type World } from '../world';
import { startSmsGateway } from './sms-gateway';

/**
 * The delivery queue against real SMTP servers. A database of its own: a worker claims every
 * due delivery of its database, and the other files' queued rows are theirs to look at.
 */

const ORIGIN = 'https://relais.test';
let db: { url: string; drop: () => Promise<void> };
let world: World;
let order: string;

beforeAll(async () => {
	db = await privateDatabase('notify_worker');
	world = await createWorld(db.url);
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'CMD-2030-0001', '2030-01-31') returning id`,
		[world.sites.hub, world.clients.acme]
	);
	order = rows[0].id;
});
afterAll(async () => {
	await closePools();
	await db.drop();
});
beforeEach(() => world.pool.query('delete from public.notifications'));

/** The client is told their order is ready: in the app and, by default, by email. */
const tellClient = (title = 'Commande prête') =>
	notify(world.pool, {
		kind: 'order_ready',
		recipients: [world.people.client.id],
		subject: { table: 'orders', id: order },
		title: { fr: title, en: title },
		link: `/portal/orders/${order}`
	});

const worker = (options: Partial<WorkerOptions> & Pick<WorkerOptions, 'senders'>) =>
	createDeliveryWorker({ pool: world.pool, log: () => {}, ...options });

const email = (url: string) => smtpSender({ url, from: 'Relais <notifications@relais.test>', origin: ORIGIN });

async function deliveries() {
	const { rows } = await world.pool.query<{ status: string; attempts: number; last_error: string | null; sent: boolean; due_later: boolean }>(
		`select status, attempts, last_error, sent_at is not null as sent, next_attempt_at > now() as due_later
		 from public.notification_deliveries order by created_at`
	);
	return rows;
}

/** An SMTP server that answers 451 (try again later) to the first mail, then accepts. */
async function flakySmtp() {
	let received = 0;
	const accepted: string[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				received += 1;
				if (received === 1) return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
				accepted.push(Buffer.concat(chunks).toString('utf8'));
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return { url: `smtp://127.0.0.1:${port}`, accepted, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('delivery worker', () => {
	it('retries an email the SMTP server refused, then marks it sent exactly once', async () => {
		const smtp = await flakySmtp();
		const sender = email(smtp.url);
		const w = worker({ senders: { email: sender.send }, backoffBaseMs: 300 });
		try {
			await tellClient('Commande CMD-2030-0001 prête');
			expect(await w.runOnce()).toBe(1);
			const [first] = await deliveries();
			expect(first).toMatchObject({ status: 'queued', attempts: 1, sent: false, due_later: true });
			expect(first.last_error).toMatch(/451/);
			// Backing off: not due yet.
			expect(await w.runOnce()).toBe(0);

			await new Promise((r) => setTimeout(r, 400));
			expect(await w.runOnce()).toBe(1);
			expect(await deliveries()).toMatchObject([{ status: 'sent', attempts: 2, last_error: null, sent: true }]);
			expect(await w.runOnce()).toBe(0);
			expect(smtp.received()).toBe(2);
			expect(smtp.accepted).toHaveLength(1);
			const mail = await simpleParser(smtp.accepted[0]);
			expect(mail.subject).toBe('Commande CMD-2030-0001 prête');
			expect(mail.text).toContain(`${ORIGIN}/portal/orders/${order}`);
		} finally {
			sender.close();
			await smtp.close();
		}
	});

	it('gives up after the last attempt, keeps the error, and shows the failure to the organisation’s admins only', async () => {
		let calls = 0;
		const w = worker({
			senders: {
				email: async () => {
					calls += 1;
					throw new Error('550 5.1.1 mailbox unavailable');
				}
			},
			maxAttempts: 3,
			backoffBaseMs: 1
		});
		await tellClient();
		for (let i = 0; i < 5; i++) {
			await w.runOnce();
			await new Promise((r) => setTimeout(r, 20));
		}
		expect(calls).toBe(3);
		expect(await deliveries()).toMatchObject([{ status: 'failed', attempts: 3, last_error: '550 5.1.1 mailbox unavailable', sent: false }]);
		const seenBy = async (persona: 'admin' | 'csm' | 'client' | 'admin_other_org') =>
			(await withUser(world.pool, world.people[persona].claims, (sql) => sql.query('select id from public.notification_deliveries'))).rowCount;
		expect(await seenBy('admin')).toBe(1);
		expect(await seenBy('csm')).toBe(0);
		expect(await seenBy('client')).toBe(0);
		expect(await seenBy('admin_other_org')).toBe(0);
	});

	it('two workers sharing the queue never send the same delivery twice', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'relais-mail-'));
		const smtp: DevSmtp = await startDevSmtp({ dir });
		const senders = [email(smtp.url), email(smtp.url)];
		try {
			const titles = Array.from({ length: 40 }, (_, i) => `Commande ${i} prête ${randomUUID().slice(0, 4)}`);
			for (const title of titles) await tellClient(title);
			const workers = senders.map((s) => worker({ senders: { email: s.send }, batch: 4 }));
			const claimed = [0, 0];
			await Promise.all(
				workers.map(async (w, i) => {
					for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) claimed[i] += n;
				})
			);
			expect(claimed[0] + claimed[1]).toBe(40);
			const rows = await deliveries();
			expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
			const mail = await listMail(dir);
			expect(mail.map((m) => m.subject).sort()).toEqual([...titles].sort());
			expect(new Set(mail.flatMap((m) => m.to))).toEqual(new Set([world.people.client.email]));
			expect(mail[0].html).toContain(`${ORIGIN}/portal/orders/${order}`);
		} finally {
			for (const s of senders) s.close();
			await smtp.close();
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('sends nothing to someone who lost sight of the object before the worker got to it', async () => {
		let calls = 0;
		const w = worker({ senders: { email: async () => void (calls += 1) } });
		await tellClient();
		await world.pool.query('delete from public.client_members where user_id = $1', [world.people.client.id]);
		try {
			expect(await w.runOnce()).toBe(1);
			expect(calls).toBe(0);
			expect(await deliveries()).toMatchObject([{ status: 'cancelled', attempts: 1, sent: false }]);
		} finally {
			await world.pool.query('insert into public.client_members (client_account_id, user_id) values ($1, $2)', [
				world.clients.acme,
				world.people.client.id
			]);
		}
	});

	it('texts a driver through the SMS provider, retrying once it failed', async () => {
		const gateway = await startSmsGateway([502]);
		const driver = world.people.driver;
		const vehicle = await world.pool.query<{ id: string }>(
			`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Renault', 'Zoe', 'electric') returning id`,
			[world.orgId, world.sites.hub, testVin()]
		);
		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.transfers (organisation_id, vehicle_id, from_site_id, delivery_address, reason, driver_id, status)
			 values ($1, $2, $3, '1 place Bellecour, Lyon', 'Delivery', $4, 'driver_assigned') returning id`,
			[world.orgId, vehicle.rows[0].id, world.sites.hub, driver.id]
		);
		await world.pool.query(`update public.profiles set phone = '06 12 34 56 78' where id = $1`, [driver.id]);
		const w = worker({ senders: { sms: smsSender(httpSmsProvider({ url: gateway.url, sender: 'Relais' }), ORIGIN) }, backoffBaseMs: 1 });
		try {
			const { notified } = await notify(world.pool, {
				kind: 'transfer_status',
				recipients: [driver.id, world.people.client_other_account.id],
				subject: { table: 'transfers', id: rows[0].id },
				title: { fr: 'Transfert confirmé', en: 'Transfer confirmed' },
				link: `/transfers?id=${rows[0].id}`
			});
			expect(notified).toEqual([driver.id]);
			await w.runOnce();
			await new Promise((r) => setTimeout(r, 20));
			await w.runOnce();
			expect(await deliveries()).toMatchObject([{ status: 'sent', attempts: 2, sent: true }]);
			expect(gateway.requests.map((r) => r.body)).toEqual([
				...Array(2).fill({ from: 'Relais', to: '+33612345678', text: `Transfert confirmé ${ORIGIN}/transfers?id=${rows[0].id}` })
			]);
		} finally {
			await gateway.close();
		}
	});

	it('leaves the channels this node cannot send in the queue', async () => {
		const w = worker({ senders: { sms: async () => {} } });
		await tellClient();
		expect(await w.runOnce()).toBe(0);
		expect(await deliveries()).toMatchObject([{ status: 'queued', attempts: 0 }]);
	});
});

describe('web push channel', () => {
	afterEach(() => vi.restoreAllMocks());

	async function subscribe(n: number) {
		const { rows } = await world.pool.query<{ id: string; endpoint: string; p256dh: string; auth: string }>(
			`insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
			 select $1, 'https://push.test/' || gen_random_uuid(), 'p256dh', 'auth' from generate_series(1, $2) returning id, endpoint, p256dh, auth`,
			[world.people.client.id, n]
		);
		return rows;
	}
	const job = (pushSubscriptions: DeliveryJob['pushSubscriptions']): DeliveryJob => ({
		id: randomUUID(),
		channel: 'push',
		attempts: 1,
		userId: world.people.client.id,
		email: world.people.client.email,
		fullName: 'Client',
		phone: null,
		locale: 'fr',
		title: 'Commande prête',
		body: null,
		link: '/portal',
		subject: null,
		pushSubscriptions
	});
	const remaining = async () =>
		(await world.pool.query<{ id: string }>('select id from public.push_subscriptions where user_id = $1', [world.people.client.id])).rows.map((r) => r.id);
	const sender = () => webPushSender({ ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@relais.test' }, world.pool);

	beforeEach(() => world.pool.query('delete from public.push_subscriptions'));

	it('reaches the browsers still subscribed and forgets the ones their push service says are gone', async () => {
		const [gone, alive] = await subscribe(2);
		const sent: string[] = [];
		vi.spyOn(webpush, 'sendNotification').mockImplementation(async (subscription, payload) => {
			if (subscription.endpoint === gone.endpoint) throw Object.assign(new Error('Gone'), { statusCode: 410 });
			sent.push(`${subscription.endpoint} ${payload}`);
			return { statusCode: 201, body: '', headers: {} };
		});
		await sender()(job([gone, alive]));
		expect(sent).toEqual([`${alive.endpoint} ${JSON.stringify({ title: 'Commande prête', body: '', link: '/portal' })}`]);
		expect(await remaining()).toEqual([alive.id]);
	});

	it('retries when a push service fails, and gives up at once without any browser', async () => {
		const [only] = await subscribe(1);
		vi.spyOn(webpush, 'sendNotification').mockRejectedValue(Object.assign(new Error('Internal error'), { statusCode: 500 }));
		const failure = await sender()(job([only])).catch((err: Error) => err);
		expect(failure).toBeInstanceOf(Error);
		expect(failure).not.toBeInstanceOf(PermanentDeliveryError);
		expect(await remaining()).toEqual([only.id]);
		await expect(sender()(job([]))).rejects.toBeInstanceOf(PermanentDeliveryError);
	});
});
