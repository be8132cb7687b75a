import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import type { Change } from '../../../src/lib/realtime/events';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, testVin, type World } from '../world';
import { startNode, waitFor, type Node } from './helpers';

/**
 * The browser's live client against a real server: Kit's navigation is replaced by spies, the
 * page's origin and sessionStorage by stand-ins, and the session cookie the browser would send
 * is added to the handshake.
 */

const navigation = vi.hoisted(() => ({ invalidate: vi.fn(async () => {}), invalidateAll: vi.fn(async () => {}) }));
vi.mock('$app/navigation', () => navigation);
vi.mock('$app/environment', () => ({ browser: true }));
vi.mock('$app/state', () => ({ navigating: { to: null } }));
const handshake = vi.hoisted(() => ({ cookie: '' }));
vi.mock('socket.io-client', async (original) => {
	const actual = await original<typeof import('socket.io-client')>();
	return { ...actual, io: (options: object) => actual.io({ ...options, extraHeaders: { cookie: handshake.cookie } }) };
});

let world: World;
let node: Node;
let vehicle: string;
const storage = new Map<string, string>();

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	// Created before the server starts, so that its own insert is never fanned out to the test.
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Renault', 'Kangoo', 'diesel') returning id`,
		[world.orgId, world.sites.hub, testVin()]
	);
	vehicle = rows[0].id;
	node = await startNode(world.pool);
	vi.stubGlobal('location', new URL(`http://127.0.0.1:${node.port}/`));
	vi.stubGlobal('sessionStorage', {
		getItem: (key: string) => storage.get(key) ?? null,
		setItem: (key: string, value: string) => storage.set(key, value)
	});
	handshake.cookie = `relais_session=${world.people.operator.token}`;
});
afterAll(async () => {
	await node.close();
	await closePools();
	vi.unstubAllGlobals();
});

async function updateVehicle() {
	await world.pool.query('update public.vehicles set mileage_km = mileage_km + 1 where id = $1', [vehicle]);
}

it('refreshes pages on changes and catches up after every kind of reconnection', { timeout: 30_000 }, async () => {
	const { live, onChange } = await import('../../../src/lib/realtime/client.svelte');
	const heard: Change[] = [];
	onChange(['vehicles'], (change) => heard.push(change));

	// A new tab: the page was rendered at `renderedAt`, and a change landed before its socket
	// connected. It arrives through catch-up all the same.
	const renderedAt = (await world.pool.query<{ id: number }>('select max(id)::int as id from public.change_log')).rows[0].id;
	await updateVehicle();
	live.connect(renderedAt);
	await waitFor('the change made between render and connection', () => heard.length === 1);
	await waitFor('the client to be live', () => live.status === 'live');
	await waitFor('the refresh it causes', () => navigation.invalidate.mock.calls.length > 0);
	navigation.invalidate.mockClear();

	// Three changes in a row: one refresh of the pages that depend on vehicles.
	for (let i = 0; i < 3; i++) await updateVehicle();
	await waitFor('the three changes', () => heard.length === 4);
	await waitFor('the refresh', () => navigation.invalidate.mock.calls.length > 0);
	expect(navigation.invalidate.mock.calls).toEqual([['live:vehicles']]);
	expect(Number(storage.get('relais.live.cursor'))).toBe(heard[3].id);

	// The network drops (socket.io reconnects by itself), then the server hangs up (as on an
	// expired token: the client tries again later). Each time a change committed meanwhile
	// comes back through catch_up.
	const drops = [
		() => {
			for (const socket of node.realtime.io.of('/').sockets.values()) socket.conn.close();
		},
		() => node.realtime.io.disconnectSockets(true)
	];
	for (const drop of drops) {
		const before = heard.length;
		drop();
		await waitFor('the drop', () => live.status !== 'live');
		await updateVehicle();
		await waitFor('the missed change', () => heard.length === before + 1, 15_000);
		await waitFor('the client to be live again', () => live.status === 'live');
		expect(heard[before].id).toBeGreaterThan(heard[before - 1].id);
	}
	expect(navigation.invalidateAll).not.toHaveBeenCalled();
	live.disconnect();
});
