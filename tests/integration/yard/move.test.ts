import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { YardError } from '../../../src/lib/server/yard/errors';
import { flagTask } from '../../../src/lib/server/yard/flag';
import { moveVehicle } from '../../../src/lib/server/yard/move';
import { createWorld, type Persona, type World } from '../world';
import { yardRows } from './helpers';

/** Bay moves (what the yard map's drag calls) and problems flagged on tasks. */
let world: World;
let bays: Awaited<ReturnType<ReturnType<typeof yardRows>['yard']>>;
const rows = yardRows(() => world);
const move = (who: Persona, input: { vehicleId: string; bayId: string; idempotencyKey?: string }) => moveVehicle(world.pool, world.people[who].claims, input, 'en');

async function refusal(p: Promise<unknown>): Promise<YardError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(YardError);
	return err as YardError;
}

const bayOf = async (vehicle: string) => (await rows.q(`select bay_id from public.vehicles where id = $1`, [vehicle])).rows[0].bay_id;
const movesOf = async (vehicle: string) => (await rows.q(`select count(*)::int as n from public.movements where vehicle_id = $1`, [vehicle])).rows[0].n;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	bays = await rows.yard(world.sites.hub);
});

describe('moveVehicle', () => {
	it('moves a vehicle to a free bay, recorded as a bay_move on the audit trail', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme, bays.R1);
		const { movementId } = await move('operator', { vehicleId: id, bayId: bays.W1 });
		expect(await bayOf(id)).toBe(bays.W1);
		const movement = (await rows.q(`select kind, bay_id, recorded_by from public.movements where id = $1`, [movementId])).rows[0];
		expect(movement).toEqual({ kind: 'bay_move', bay_id: bays.W1, recorded_by: world.people.operator.id });
		const audit = (await rows.q(`select op, actor_id from public.audit_log where table_name = 'movements' and row_id = $1`, [movementId])).rows;
		expect(audit).toEqual([{ op: 'insert', actor_id: world.people.operator.id }]);
		await rows.q(`update public.vehicles set bay_id = null, status = 'delivered' where id = $1`, [id]);
	});

	it('answers bay_taken and moves nothing when the bay holds another vehicle', async () => {
		const a = await rows.vehicle(world.sites.hub, world.clients.acme, bays.R2);
		const b = await rows.vehicle(world.sites.hub, world.clients.acme, bays.K1);
		const err = await refusal(move('operator', { vehicleId: a.id, bayId: bays.K1 }));
		expect([err.status, err.code]).toEqual([409, 'bay_taken']);
		expect([await bayOf(a.id), await bayOf(b.id), await movesOf(a.id)]).toEqual([bays.R2, bays.K1, 0]);
	});

	it('lets nobody from another site move a vehicle, nor staff who do not work the yard', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme, bays.W2);
		expect((await refusal(move('operator_other_site', { vehicleId: id, bayId: bays.R1 }))).code).toBe('not_found');
		expect((await refusal(move('admin_other_org', { vehicleId: id, bayId: bays.R1 }))).code).toBe('not_found');
		expect((await refusal(move('csm', { vehicleId: id, bayId: bays.R1 }))).code).toBe('forbidden');
		// A bay of another site is no bay for this vehicle.
		const theirs = await rows.yard(world.sites.hub2);
		expect((await refusal(move('site_manager', { vehicleId: id, bayId: theirs.R1 }))).code).toBe('not_found');
		expect([await bayOf(id), await movesOf(id)]).toEqual([bays.W2, 0]);
		// Nor through the table: the vehicle stands in a bay of its own site, whoever writes.
		await expect(rows.q(`update public.vehicles set bay_id = $1 where id = $2`, [theirs.R1, id])).rejects.toMatchObject({ code: '23514' });
	});

	it('moves once for one idempotency key, and validates its input', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme, bays.R1);
		const key = randomUUID();
		const first = await move('team_lead', { vehicleId: id, bayId: bays.W1, idempotencyKey: key });
		expect(await move('team_lead', { vehicleId: id, bayId: bays.W1, idempotencyKey: key })).toEqual(first);
		expect(await movesOf(id)).toBe(1);
		const bad = await refusal(move('operator', { vehicleId: 'nope', bayId: bays.W1 }));
		expect([bad.status, Object.keys(bad.errors)]).toEqual([400, ['vehicleId']]);
	});
});

describe('flagTask', () => {
	it('lets the site’s operator flag a problem, stamped with who and when, and clear it', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme);
		const orderId = await rows.order(world.sites.hub, world.clients.acme, id, ['wash']);
		const task = (await rows.q(`select id from public.tasks where order_id = $1`, [orderId])).rows[0].id;
		const flag = (who: Persona, reason: string | null) => withUser(world.pool, world.people[who].claims, (sql) => flagTask(sql, { taskId: task, reason }, 'en'));
		const state = async () => (await rows.q(`select flag_reason, flagged_by, flagged_at is not null as stamped from public.tasks where id = $1`, [task])).rows[0];

		await flag('operator', 'Rayure non signalée à l’arrivée');
		expect(await state()).toEqual({ flag_reason: 'Rayure non signalée à l’arrivée', flagged_by: world.people.operator.id, stamped: true });
		// The stamp cannot be forged.
		await withUser(world.pool, world.people.operator.claims, (sql) => sql.query(`update public.tasks set flagged_by = $2, comment = 'x' where id = $1`, [task, world.people.csm.id]));
		expect((await state()).flagged_by).toBe(world.people.operator.id);
		const audit = (await rows.q(`select new_row from public.audit_log where table_name = 'tasks' and row_id = $1 and op = 'update' and new_row ? 'flag_reason' order by id`, [task])).rows;
		expect(audit[0].new_row).toMatchObject({ flag_reason: 'Rayure non signalée à l’arrivée', flagged_by: world.people.operator.id });

		expect((await refusal(flag('operator_other_site', 'x'))).code).toBe('not_found');
		expect((await refusal(flag('client', 'x'))).code).toBe('forbidden');
		await flag('operator', null);
		expect(await state()).toEqual({ flag_reason: null, flagged_by: null, stamped: false });
	});
});
