import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { CaughtUp, Change } from '../../../src/lib/realtime/events';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, waitFor, type ClientSocket, type Node } from './helpers';

let world: World;
let node: Node;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool);
});
afterAll(async () => {
	await node.close();
	await closePools();
});

const caughtUp = (socket: ClientSocket) => new Promise<CaughtUp>((resolve) => socket.once('caught_up', resolve));

it('replays to a reconnecting screen exactly the changes it missed and may see, in order', async () => {
	const { people, sites, clients, orgId } = world;
	const person = people.client;
	// A second tab of the same person stays connected: once it has heard the last change, the
	// feed is done with them and nothing can still arrive live after the reconnection.
	const tab = await connect(node.port, person.token);
	const screen = await connect(node.port, person.token);

	const first = caughtUp(screen.socket);
	await screen.socket.emitWithAck('catch_up', { since: null });
	const { lastId } = await first;
	screen.socket.disconnect();

	const thread = randomUUID();
	await world.pool.query(
		`insert into public.ticket_threads (id, site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, $3, 'order', $4, 'Retard')`,
		[thread, sites.hub, clients.acme, randomUUID()]
	);
	const missed: [string, string][] = [['ticket_threads', thread]];
	const vehicle = async (account: string | null, inScope: boolean) => {
		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy)
			 values ($1, $2, $3, $4, 'Renault', 'Zoe', 'electric') returning id`,
			[orgId, sites.hub, account, testVin()]
		);
		if (inScope) missed.push(['vehicles', rows[0].id]);
	};
	const message = async (internal: boolean) => {
		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.ticket_messages (thread_id, site_id, client_account_id, author_id, body, internal)
			 values ($1, $2, $3, $4, 'Bonjour', $5) returning id`,
			[thread, sites.hub, clients.acme, people.csm.id, internal]
		);
		if (!internal) missed.push(['ticket_messages', rows[0].id]);
	};
	const notify = async (userId: string) => {
		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.notifications (user_id, kind, title) values ($1, 'vehicle_ready', 'Prêt') returning id`,
			[userId]
		);
		if (userId === person.id) missed.push(['notifications', rows[0].id]);
	};
	for (let i = 0; i < 10; i++) {
		await vehicle(clients.acme, true);
		await vehicle(clients.beta, false);
		await vehicle(null, false);
		await message(true);
		await message(false);
		await notify(people.client_other_account.id);
		await notify(person.id);
	}
	const [table, last] = missed[missed.length - 1];
	await waitFor('the other tab to hear the last change', () => tab.changes.some((c) => c.table === table && c.rowId === last));

	screen.changes.length = 0;
	screen.socket.connect();
	await new Promise<void>((resolve) => screen.socket.once('connect', () => resolve()));
	const done = caughtUp(screen.socket);
	const ack = await screen.socket.emitWithAck('catch_up', { since: lastId });
	const end = await done;

	expect(ack).toEqual({ data: { replayed: missed.length } });
	expect(screen.changes.map((c: Change) => [c.table, c.rowId])).toEqual(missed);
	const ids = screen.changes.map((c) => c.id);
	expect(ids.every((id, i) => id > (i ? ids[i - 1] : lastId))).toBe(true);
	expect(end).toEqual({ lastId: expect.any(Number), reset: false });
	expect(end.lastId).toBeGreaterThanOrEqual(ids[ids.length - 1]);
	tab.socket.close();
	screen.socket.close();
});

it('asks for a reload rather than replaying more than a thousand changes', async () => {
	const person = world.people.driver;
	const tab = await connect(node.port, person.token);
	const screen = await connect(node.port, person.token);
	const first = caughtUp(screen.socket);
	await screen.socket.emitWithAck('catch_up', { since: null });
	const { lastId } = await first;
	screen.socket.disconnect();
	await world.pool.query(
		`insert into public.notifications (user_id, kind, title) select $1, 'digest', 'n' || g from generate_series(1, 1001) g`,
		[person.id]
	);
	await waitFor('the other tab to hear the burst', () => tab.changes.length === 1001);

	screen.changes.length = 0;
	screen.socket.connect();
	await new Promise<void>((resolve) => screen.socket.once('connect', () => resolve()));
	const done = caughtUp(screen.socket);
	expect(await screen.socket.emitWithAck('catch_up', { since: lastId })).toEqual({ data: { replayed: 0 } });
	const end = await done;
	expect(end.reset).toBe(true);
	expect(end.lastId).toBeGreaterThanOrEqual(Math.max(...tab.changes.map((c) => c.id)));
	expect(screen.changes).toEqual([]);
	tab.socket.close();
	screen.socket.close();
});
