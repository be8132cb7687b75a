import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { notify, type NotificationEvent } from '../../../src/lib/server/notify';
import { notifyOrderCreated } from '../../../src/lib/server/notify/events';
import { createWorld, type Persona, type World } from '../world';

/**
 * `notify` against the real policies: who hears of an object is decided by what each person
 * may select and by their preferences. Nothing here runs a worker, so queued rows stay queued.
 */

let world: World;
let order: string;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.orders (site_id, client_account_id, reference, deadline, created_by) values ($1, $2, $3, '2030-01-31', $4) returning id`,
		[world.sites.hub, world.clients.acme, `CMD-${randomUUID().slice(0, 6)}`, world.people.csm.id]
	);
	order = rows[0].id;
});

const ids = (...who: Persona[]) => who.map((p) => world.people[p].id);

function orderReady(recipients: string[]): NotificationEvent {
	return {
		kind: 'order_ready',
		recipients,
		subject: { table: 'orders', id: order },
		title: { fr: 'Commande prête', en: 'Order ready' },
		body: { fr: 'Tous les véhicules sont prêts.', en: 'Every vehicle is ready.' },
		link: `/portal/orders/${order}`
	};
}

async function written(notified: string[], kind = 'order_ready') {
	const { rows } = await world.pool.query<{ user_id: string; title: string; in_app: boolean; channels: string[] }>(
		`select n.user_id, n.title, n.in_app,
		        array(select d.channel from public.notification_deliveries d where d.notification_id = n.id order by d.channel) as channels
		 from public.notifications n where n.user_id = any($1::uuid[]) and n.kind = $2 and n.subject_id = $3
		 order by n.created_at`,
		[notified, kind, order]
	);
	return rows;
}

async function save(persona: Persona, kind: string, choice: { in_app: boolean; email: boolean; push: boolean; sms: boolean }) {
	await withUser(world.pool, world.people[persona].claims, (sql) =>
		sql.query(
			`insert into public.notification_preferences (kind, in_app, email, push, sms) values ($1, $2, $3, $4, $5)
			 on conflict (user_id, kind) do update set in_app = excluded.in_app, email = excluded.email, push = excluded.push, sms = excluded.sms`,
			[kind, choice.in_app, choice.email, choice.push, choice.sms]
		)
	);
}

const clear = () => world.pool.query(`delete from public.notifications where subject_id = $1`, [order]);

describe('notify', () => {
	it('reaches only the recipients who may see the object, each through their default channels', async () => {
		await clear();
		const everyone = ids('client', 'client_other_account', 'csm', 'operator_other_site', 'driver', 'admin_other_org');
		const { notified } = await notify(world.pool, orderReady(everyone));
		expect(notified.sort()).toEqual(ids('client', 'csm').sort());
		const rows = await written(everyone);
		expect(rows.map((r) => [r.user_id, r.in_app, r.channels])).toEqual(
			expect.arrayContaining([
				// A client: in the app and by email; a CSM: in the app only.
				[world.people.client.id, true, ['email']],
				[world.people.csm.id, true, []]
			])
		);
		expect(rows).toHaveLength(2);
	});

	it('writes the title in each recipient’s language', async () => {
		await clear();
		await world.pool.query(`update public.profiles set locale = 'en' where id = $1`, [world.people.client.id]);
		try {
			await notify(world.pool, orderReady(ids('client', 'csm')));
			const titles = Object.fromEntries((await written(ids('client', 'csm'))).map((r) => [r.user_id, r.title]));
			expect(titles).toEqual({ [world.people.client.id]: 'Order ready', [world.people.csm.id]: 'Commande prête' });
		} finally {
			await world.pool.query(`update public.profiles set locale = 'fr' where id = $1`, [world.people.client.id]);
		}
	});

	it('queues no channel the person switched off, and tells nobody who switched everything off', async () => {
		await clear();
		await save('client', 'order_ready', { in_app: true, email: false, push: false, sms: false });
		await save('csm', 'order_ready', { in_app: false, email: false, push: false, sms: false });
		try {
			const { notified } = await notify(world.pool, orderReady(ids('client', 'csm')));
			expect(notified).toEqual(ids('client'));
			expect((await written(ids('client', 'csm'))).map((r) => [r.user_id, r.channels])).toEqual([[world.people.client.id, []]]);
		} finally {
			await world.pool.query(`delete from public.notification_preferences where user_id = any($1::uuid[])`, [ids('client', 'csm')]);
		}
	});

	it('sends by email only, out of the bell, someone who wants email and not the app', async () => {
		await clear();
		await save('csm', 'order_ready', { in_app: false, email: true, push: false, sms: false });
		try {
			await notify(world.pool, orderReady(ids('csm')));
			expect((await written(ids('csm'))).map((r) => [r.in_app, r.channels])).toEqual([[false, ['email']]]);
		} finally {
			await world.pool.query(`delete from public.notification_preferences where user_id = $1`, [world.people.csm.id]);
		}
	});

	it('queues SMS only for a phone number and push only for a subscribed browser', async () => {
		await clear();
		await save('csm', 'order_ready', { in_app: true, email: false, push: true, sms: true });
		try {
			await notify(world.pool, orderReady(ids('csm')));
			expect((await written(ids('csm'))).map((r) => r.channels)).toEqual([[]]);
			await clear();
			await world.pool.query(`update public.profiles set phone = '+33 6 12 34 56 78' where id = $1`, [world.people.csm.id]);
			await world.pool.query(`insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, 'https://push.test/' || gen_random_uuid(), 'k', 'a')`, [
				world.people.csm.id
			]);
			await notify(world.pool, orderReady(ids('csm')));
			expect((await written(ids('csm'))).map((r) => r.channels)).toEqual([['push', 'sms']]);
		} finally {
			await world.pool.query(`delete from public.notification_preferences where user_id = $1`, [world.people.csm.id]);
			await world.pool.query(`delete from public.push_subscriptions where user_id = $1`, [world.people.csm.id]);
			await world.pool.query(`update public.profiles set phone = null where id = $1`, [world.people.csm.id]);
		}
	});

	it('shows each person their own notification and nobody else’s', async () => {
		await clear();
		await notify(world.pool, orderReady(ids('client', 'csm')));
		for (const persona of ['client', 'csm', 'client_other_account', 'admin'] as const) {
			const { rows } = await withUser(world.pool, world.people[persona].claims, (sql) =>
				sql.query<{ user_id: string }>(`select user_id from public.notifications where subject_id = $1`, [order])
			);
			const expected = persona === 'client' || persona === 'csm' ? [world.people[persona].id] : [];
			expect(rows.map((r) => r.user_id), persona).toEqual(expected);
		}
	});

	it('refuses an event that is not well formed, writing nothing', async () => {
		await clear();
		await expect(notify(world.pool, { ...orderReady(ids('client')), link: 'https://evil.example/' })).rejects.toThrow();
		await expect(notify(world.pool, { ...orderReady(ids('client')), kind: 'nope' as 'order_ready' })).rejects.toThrow();
		expect(await written(ids('client'))).toEqual([]);
	});

	it('a new order tells the site’s CSMs and managers, except who took it', async () => {
		await notifyOrderCreated(world.pool, { orderId: order });
		const { rows } = await world.pool.query<{ user_id: string; channels: string[] }>(
			`select n.user_id, array(select d.channel from public.notification_deliveries d where d.notification_id = n.id) as channels
			 from public.notifications n where n.kind = 'order_created' and n.subject_id = $1`,
			[order]
		);
		// The CSM took the order; the site manager hears of it in the app (their default).
		expect(rows).toEqual([{ user_id: world.people.site_manager.id, channels: [] }]);
	});
});
