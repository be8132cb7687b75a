import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { notifyOrderReady } from '../../../src/lib/server/notify/events';
import { orderMadeReady } from '../../../src/lib/server/orders/ready';
import { moveTask } from '../../../src/routes/(app)/today/tasks.server';
import { createWorld, testVin, type World } from '../world';

/**
 * The today page's `complete` action end to end minus HTTP: the operator completes a task under
 * their RLS, the same transaction says whether that made the order ready, and only then are the
 * order's client users told.
 */

let world: World;
let service: string;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	service = randomUUID();
	await world.pool.query(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'WASH', 'Lavage', 'Wash', 'wash', 30)`,
		[service, world.sites.hub]
	);
});

/** An Acme order at the hub with one task per vehicle. */
async function orderWithTasks(count: number) {
	const order = randomUUID();
	const reference = `CMD-${order.slice(0, 6)}`;
	await world.pool.query(`insert into public.orders (id, site_id, client_account_id, reference, deadline) values ($1, $2, $3, $4, '2030-01-31')`, [
		order,
		world.sites.hub,
		world.clients.acme,
		reference
	]);
	const tasks: string[] = [];
	for (let i = 0; i < count; i++) {
		const vehicle = randomUUID();
		await world.pool.query(
			`insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`,
			[vehicle, world.orgId, world.sites.hub, world.clients.acme, testVin()]
		);
		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents) values ($1, $2, $3, $4, $5, 30, 2500) returning id`,
			[world.sites.hub, world.clients.acme, order, vehicle, service]
		);
		tasks.push(rows[0].id);
	}
	return { order, reference, tasks };
}

/** What the action does: complete as the operator, then notify after the commit when ready. */
async function complete(taskId: string): Promise<string | null> {
	const ready = await withUser(world.pool, world.people.operator.claims, async (sql) => {
		expect(await moveTask(sql, taskId, 'complete')).toBe('ok');
		return orderMadeReady(sql, taskId);
	});
	if (ready) await notifyOrderReady(world.pool, { orderId: ready });
	return ready;
}

async function notified(order: string) {
	const { rows } = await world.pool.query<{ user_id: string; title: string; link: string }>(
		`select user_id, title, link from public.notifications where kind = 'order_ready' and subject_id = $1`,
		[order]
	);
	return rows;
}

describe('order ready', () => {
	it('tells nobody while tasks remain, then the account’s client users once when the last one is done', async () => {
		const { order, reference, tasks } = await orderWithTasks(2);
		expect(await complete(tasks[0])).toBeNull();
		expect(await notified(order)).toEqual([]);

		expect(await complete(tasks[1])).toBe(order);
		// Only Acme's client: not Beta's, and no staff (they are not client members).
		expect(await notified(order)).toEqual([
			{ user_id: world.people.client.id, title: `Commande ${reference} prête`, link: `/portal/orders/${order}` }
		]);
	});

	it('counts cancelled tasks as no work left', async () => {
		const { order, tasks } = await orderWithTasks(2);
		await world.pool.query(`update public.tasks set status = 'cancelled' where id = $1`, [tasks[0]]);
		expect(await complete(tasks[1])).toBe(order);
		expect(await notified(order)).toHaveLength(1);
	});

	it('does not tell the client again when a finished task is reopened and completed again', async () => {
		const { order, tasks } = await orderWithTasks(1);
		expect(await complete(tasks[0])).toBe(order);
		await world.pool.query(`update public.tasks set status = 'in_progress', completed_at = null where id = $1`, [tasks[0]]);
		await complete(tasks[0]);
		expect(await notified(order)).toHaveLength(1);
	});

	it('says ready exactly once when the last two tasks are completed at the same time', async () => {
		const { order, tasks } = await orderWithTasks(2);
		const results = await Promise.all(
			tasks.map((task) =>
				withUser(world.pool, world.people.operator.claims, async (sql) => {
					await moveTask(sql, task, 'complete');
					return orderMadeReady(sql, task);
				})
			)
		);
		expect(results.filter(Boolean)).toEqual([order]);
	});
});
