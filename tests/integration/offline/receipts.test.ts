import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { once } from '../../../src/lib/server/offline/receipts';
import { moveTask } from '../../../src/routes/(app)/today/tasks.server';
import { createWorld, testVin, type World } from '../world';

/**
 * A phone's queued task actions replayed after a dropped answer: the same idempotency key acts
 * once, whether the replay comes after the first run or races it; a run that rolled back leaves
 * no receipt; keys are per person and nobody reads another's receipts.
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

async function plannedTask(): Promise<string> {
	const order = randomUUID();
	await world.pool.query(`insert into public.orders (id, site_id, client_account_id, reference, deadline) values ($1, $2, $3, $4, '2030-01-31')`, [
		order,
		world.sites.hub,
		world.clients.acme,
		`CMD-${order.slice(0, 6)}`
	]);
	const vehicle = randomUUID();
	await world.pool.query(
		`insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`,
		[vehicle, world.orgId, world.sites.hub, world.clients.acme, testVin()]
	);
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents, status) values ($1, $2, $3, $4, $5, 30, 2500, 'planned') returning id`,
		[world.sites.hub, world.clients.acme, order, vehicle, service]
	);
	return rows[0].id;
}

/** The /today action's transaction: start or complete the task once per key, as the operator. */
const act = (taskId: string, transition: 'start' | 'complete', key: string, person = world.people.operator) =>
	withUser(world.pool, person.claims, (sql) => once(sql, key, `task.${transition}`, () => moveTask(sql, taskId, transition)));

const auditedUpdates = async (taskId: string) =>
	(await world.pool.query(`select count(*)::int as n from public.audit_log where table_name = 'tasks' and row_id = $1 and op = 'update'`, [taskId])).rows[0]
		.n as number;

describe('offline replays', () => {
	it('start then complete, each sent twice, land once each and answer as the first run did', async () => {
		const task = await plannedTask();
		const start = randomUUID();
		const complete = randomUUID();
		expect(await act(task, 'start', start)).toEqual({ replayed: false, result: 'ok' });
		expect(await act(task, 'start', start)).toEqual({ replayed: true, result: 'ok' });
		expect(await act(task, 'complete', complete)).toEqual({ replayed: false, result: 'ok' });
		expect(await act(task, 'complete', complete)).toEqual({ replayed: true, result: 'ok' });
		const { rows } = await world.pool.query(`select status from public.tasks where id = $1`, [task]);
		expect(rows[0].status).toBe('done');
		expect(await auditedUpdates(task)).toBe(2);
	});

	it('without the receipt, the replay of a start would be refused as stale', async () => {
		const task = await plannedTask();
		expect(await act(task, 'start', randomUUID())).toMatchObject({ result: 'ok' });
		expect(await act(task, 'start', randomUUID())).toMatchObject({ replayed: false, result: 'stale' });
	});

	it('a replay racing the first run waits for it and acts once', async () => {
		const task = await plannedTask();
		const key = randomUUID();
		const answers = await Promise.all([act(task, 'start', key), act(task, 'start', key), act(task, 'start', key)]);
		expect(answers.map((a) => a.result)).toEqual(['ok', 'ok', 'ok']);
		expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
		expect(await auditedUpdates(task)).toBe(1);
	});

	it('a run that rolled back leaves no receipt: its replay acts', async () => {
		const task = await plannedTask();
		const key = randomUUID();
		await expect(
			withUser(world.pool, world.people.operator.claims, (sql) =>
				once(sql, key, 'task.start', async () => {
					await moveTask(sql, task, 'start');
					throw new Error('connection lost before commit');
				})
			)
		).rejects.toThrow('connection lost');
		expect(await act(task, 'start', key)).toEqual({ replayed: false, result: 'ok' });
	});

	it('keys belong to their person: the same key from someone else acts, and receipts are private', async () => {
		const first = await plannedTask();
		const second = await plannedTask();
		const key = randomUUID();
		expect(await act(first, 'start', key)).toMatchObject({ replayed: false });
		expect(await act(second, 'start', key, world.people.team_lead)).toMatchObject({ replayed: false, result: 'ok' });
		const seen = await withUser(world.pool, world.people.team_lead.claims, (sql) =>
			sql.query(`select user_id from public.action_receipts where idempotency_key = $1`, [key])
		);
		expect(seen.rows).toEqual([{ user_id: world.people.team_lead.id }]);
		await expect(
			withUser(world.pool, world.people.team_lead.claims, (sql) =>
				sql.query(`insert into public.action_receipts (user_id, idempotency_key, action) values ($1, $2, 'task.start')`, [world.people.operator.id, randomUUID()])
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('receipts older than a week are pruned, recent ones kept', async () => {
		const [old, recent] = [randomUUID(), randomUUID()];
		await world.pool.query(
			`insert into public.action_receipts (user_id, idempotency_key, action, created_at) values ($1, $2, 'task.start', now() - interval '8 days'), ($1, $3, 'task.start', now())`,
			[world.people.operator.id, old, recent]
		);
		await world.pool.query(`select private.prune_action_receipts('7 days')`);
		const { rows } = await world.pool.query(`select idempotency_key from public.action_receipts where idempotency_key = any ($1::uuid[])`, [[old, recent]]);
		expect(rows).toEqual([{ idempotency_key: recent }]);
	});
});
