import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CaughtUp } from '../../../src/lib/realtime/events';
import { asService, closePools } from '../../../src/lib/server/db/pool';
import { privateDatabase } from '../private-database';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, type Node } from './helpers';

let world: World;
let node: Node;
let drop: () => Promise<void>;

// Pruning moves the database-wide horizon: on the shared database it would send the other
// files' screens a reload.
beforeAll(async () => {
	const database = await privateDatabase('retention');
	drop = database.drop;
	world = await createWorld(database.url);
	node = await startNode(world.pool);
});
afterAll(async () => {
	await node.close();
	await closePools();
	await drop();
});

const addVehicle = () =>
	world.pool.query(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy)
		 values ($1, $2, $3, $4, 'Peugeot', '208', 'petrol')`,
		[world.orgId, world.sites.hub, world.clients.acme, testVin()]
	);

it('prunes old changes and sends a screen whose cursor predates them a reload, not a partial replay', async () => {
	await addVehicle();
	const { rows } = await world.pool.query<{ id: number }>('select max(id) as id from public.change_log');
	const cursor = rows[0].id - 1;
	// Age everything logged so far, then prune what is older than a day.
	await world.pool.query(`update public.change_log set committed_at = now() - interval '3 days' where id <= $1`, [rows[0].id]);
	await addVehicle();
	const pruned = await asService(world.pool, async (sql) => (await sql.query('select private.prune_change_log($1::interval) as n', ['1 day'])).rows[0].n);
	expect(pruned).toBeGreaterThan(0);
	const { rows: left } = await world.pool.query<{ n: number }>('select count(*)::int as n from public.change_log where id <= $1', [rows[0].id]);
	expect(left[0].n).toBe(0);

	const screen = await connect(node.port, world.people.client.token);
	const caughtUp = new Promise<CaughtUp>((resolve) => screen.socket.once('caught_up', resolve));
	await screen.socket.emitWithAck('catch_up', { since: cursor });
	expect(await caughtUp).toMatchObject({ reset: true });
	screen.socket.disconnect();
});

it('does not let a signed-in person prune the log', async () => {
	const attempt = world.pool.connect().then(async (client) => {
		try {
			await client.query('begin');
			await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
				JSON.stringify(world.people.admin.claims)
			]);
			return await client.query(`select private.prune_change_log('0 seconds')`);
		} finally {
			await client.query('rollback');
			client.release();
		}
	});
	await expect(attempt).rejects.toThrow(/permission denied/);
});
