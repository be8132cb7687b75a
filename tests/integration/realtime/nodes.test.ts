import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Rooms } from '../../../src/lib/realtime/events';
import { closePools } from '../../../src/lib/server/db/pool';
import type { AdapterChoice } from '../../../src/lib/server/realtime';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, waitFor, type Node } from './helpers';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something answers on the Redis port; the Redis case is skipped otherwise. */
function reachable(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 500 });
		const done = (up: boolean) => {
			socket.destroy();
			resolve(up);
		};
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
		socket.once('timeout', () => done(false));
	});
}
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`Redis is unreachable at ${REDIS_URL}: the redis adapter case is skipped`);

let world: World;
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
});
afterAll(() => closePools());

// Its own Redis channels: other runs sharing the Redis would count as nodes to wait for.
const key = `relais-test-${process.pid}-${Date.now()}`;
const cases: [string, () => AdapterChoice, boolean][] = [
	['postgres', () => ({ kind: 'postgres' }), true],
	['redis', () => ({ kind: 'redis', url: REDIS_URL, key }), redisUp]
];

describe.each(cases)('two nodes with the %s adapter', (name, adapter, available) => {
	let a: Node;
	let b: Node;
	beforeAll(async () => {
		if (!available) return;
		a = await startNode(world.pool, { adapter: adapter() });
		b = await startNode(world.pool, { adapter: adapter() });
	});
	afterAll(async () => {
		await a?.close();
		await b?.close();
	});

	/** Waits until node A's adapter knows node B and its socket: a round trip through the adapter. */
	const seenFromA = (room: string, socketId: string | undefined) =>
		waitFor('node A to see the socket on node B', async () => (await a.realtime.io.in(room).fetchSockets()).some((s) => s.id === socketId));

	it.skipIf(!available)('delivers a change committed while the client is on the other node', async () => {
		const room = `site:${world.sites.hub}`;
		const onB = await connect(b.port, world.people.operator.token);
		await seenFromA(room, onB.socket.id);
		// Every broadcast each node makes, to check that the change fan-out stays on the node.
		const broadcasts: { node: string; rowId: unknown; local: boolean }[] = [];
		for (const [label, node] of [['A', a], ['B', b]] as const) {
			const adapter = node.realtime.io.of('/').adapter;
			const broadcast = adapter.broadcast.bind(adapter);
			adapter.broadcast = (packet, opts) => {
				broadcasts.push({ node: label, rowId: packet.data?.[1]?.rowId, local: opts.flags?.local === true });
				return broadcast(packet, opts);
			};
		}

		const { rows } = await world.pool.query<{ id: string }>(
			`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Tesla', 'Model 3', 'electric') returning id`,
			[world.orgId, world.sites.hub, testVin()]
		);
		const vehicle = rows[0].id;
		await waitFor('both nodes to fan the change out', () => ['A', 'B'].every((n) => broadcasts.some((x) => x.node === n && x.rowId === vehicle)));
		await waitFor('the change on node B', () => onB.changes.some((c) => c.rowId === vehicle));
		// A round trip through the adapter: anything A published before has now reached B.
		await seenFromA(room, onB.socket.id);
		expect(broadcasts.filter((x) => x.rowId === vehicle)).toEqual([
			{ node: expect.any(String), rowId: vehicle, local: true },
			{ node: expect.any(String), rowId: vehicle, local: true }
		]);
		expect(onB.changes.filter((c) => c.rowId === vehicle)).toHaveLength(1);
		onB.socket.close();
	});

	it.skipIf(!available)('carries what node A emits to a room to a socket on node B', async () => {
		const person = world.people.director;
		const onB = await connect(b.port, person.token);
		const room = `user:${person.id}`;
		await seenFromA(room, onB.socket.id);

		const small: Rooms = { sites: [world.sites.hub], clientAccounts: [], threads: [] };
		// Past NOTIFY's 8000-byte limit: the Postgres adapter goes through its attachment table.
		const large: Rooms = { sites: [], clientAccounts: [], threads: Array.from({ length: 300 }, () => crypto.randomUUID()) };
		const received: Rooms[] = [];
		onB.socket.on('rooms', (r) => received.push(r));
		a.realtime.io.to(room).emit('rooms', small);
		a.realtime.io.to(room).emit('rooms', large);
		await waitFor('both emits on node B', () => received.length === 2);
		// The two may overtake each other (the large one takes a detour through a table).
		expect(received).toEqual(expect.arrayContaining([small, large]));
		if (name === 'postgres') {
			const { rows } = await world.pool.query<{ n: number }>('select count(*)::int as n from private.socket_io_attachments');
			expect(rows[0].n).toBeGreaterThan(0);
		}
		onB.socket.close();
	});
});
