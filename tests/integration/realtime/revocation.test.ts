import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Rooms } from '../../../src/lib/realtime/events';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, waitFor, type Node } from './helpers';

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

async function vehicleAt(site: string): Promise<string> {
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy) values ($1, $2, $3, 'Dacia', 'Spring', 'electric') returning id`,
		[world.orgId, site, testVin()]
	);
	return rows[0].id;
}

async function notify(userId: string): Promise<string> {
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.notifications (user_id, kind, title) values ($1, 'marker', 'marker') returning id`,
		[userId]
	);
	return rows[0].id;
}

it("stops sending a site's changes within seconds of the membership being revoked", async () => {
	const { people, sites } = world;
	const operator = await connect(node.port, people.operator.token);
	const rooms: Rooms[] = [];
	operator.socket.on('rooms', (r) => rooms.push(r));

	const before = await vehicleAt(sites.hub);
	await waitFor('a hub change while a member', () => operator.changes.some((c) => c.rowId === before));

	const revokedAt = Date.now();
	await world.pool.query('delete from public.memberships where user_id = $1', [people.operator.id]);
	await waitFor('the rooms to shrink', () => rooms.some((r) => r.sites.length === 0), 5_000);
	expect(Date.now() - revokedAt).toBeLessThan(5_000);

	const after = await vehicleAt(sites.hub);
	// Sent after the vehicle, to the person directly: once it arrives, the vehicle was fanned out.
	const marker = await notify(people.operator.id);
	await waitFor('the marker', () => operator.changes.some((c) => c.rowId === marker));
	expect(operator.changes.map((c) => c.rowId)).not.toContain(after);
	expect(operator.socket.connected).toBe(true);
	operator.socket.close();
});

it("starts sending a site's changes once a membership is granted", async () => {
	const { people, sites, orgId } = world;
	const other = await connect(node.port, people.operator_other_site.token);
	const rooms: Rooms[] = [];
	other.socket.on('rooms', (r) => rooms.push(r));

	await world.pool.query(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'operator')`, [
		orgId,
		people.operator_other_site.id,
		sites.hub
	]);
	await waitFor('the rooms to grow', () => rooms.some((r) => r.sites.includes(sites.hub)), 5_000);
	const vehicle = await vehicleAt(sites.hub);
	await waitFor('the new site change', () => other.changes.some((c) => c.rowId === vehicle));
	other.socket.close();
});

it('drops a followed thread when its site is revoked', async () => {
	const { people, sites, clients } = world;
	const lead = await connect(node.port, people.team_lead.token);
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title)
		 values ($1, $2, 'order', gen_random_uuid(), 'Rayure') returning id`,
		[sites.hub, clients.acme]
	);
	expect(await lead.socket.emitWithAck('join_thread', { threadId: rows[0].id })).toEqual({ data: null });
	const rooms = new Promise<Rooms>((resolve) => lead.socket.once('rooms', resolve));
	await world.pool.query('delete from public.memberships where user_id = $1', [people.team_lead.id]);
	expect(await rooms).toEqual({ sites: [], clientAccounts: [], threads: [] });
	lead.socket.close();
});

it('recovers a dropped session without its revoked rooms or what they missed', async () => {
	const { people, sites } = world;
	const operator = await connect(node.port, people.site_manager.token, { reconnect: true });
	const director = await connect(node.port, people.director.token);
	// A first broadcast gives the socket an offset to recover from.
	const before = await vehicleAt(sites.hub);
	await waitFor('a hub change while a member', () => operator.changes.some((c) => c.rowId === before));

	const rooms: Rooms[] = [];
	operator.socket.on('rooms', (r) => rooms.push(r));
	// Blocks the automatic reconnection until the changes below are in.
	operator.socket.io.reconnection(false);
	operator.socket.io.engine.close();
	await waitFor('the drop', () => operator.socket.disconnected);
	await world.pool.query('delete from public.memberships where user_id = $1', [people.site_manager.id]);
	const missed = await vehicleAt(sites.hub);
	await waitFor('the change to be fanned out', () => director.changes.some((c) => c.rowId === missed));

	operator.socket.io.reconnection(true);
	operator.socket.connect();
	await waitFor('the recovered connection', () => rooms.length > 0);
	expect(operator.socket.recovered).toBe(true);
	expect(rooms[0].sites).toEqual([]);
	expect(operator.changes.map((c) => c.rowId)).not.toContain(missed);
	operator.socket.close();
	director.socket.close();
});
