import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { CaughtUp } from '../../../src/lib/realtime/events';
import { issueLocalToken } from '../../../src/lib/server/auth/tokens';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, waitFor, type Client, type Node } from './helpers';

/**
 * Sales people who read the whole group's dealer stock (the organisation's
 * sales_see_group_stock) hear of its changes at every site, live and when catching up; nobody
 * hears of another organisation's stock, and a client's vehicle is not stock.
 */
let world: World;
let node: Node;
let otherSales: { id: string; token: string };

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool);
	// A salesperson of the other organisation, which also shares its group stock.
	const id = randomUUID();
	const email = `sales.${id.slice(0, 8)}@other.relais`;
	const q = (text: string, values: unknown[]) => world.pool.query(text, values);
	await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, world.otherOrgId, 'Other sales', email]);
	await q(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'sales')`, [world.otherOrgId, id, world.sites.otherOrg]);
	otherSales = { id, token: (await issueLocalToken({ id, email })).token };
});
afterAll(async () => {
	await node.close();
	await closePools();
});

const groupStock = (org: string, on: boolean) =>
	world.pool.query(`update public.organisations set settings = settings || jsonb_build_object('sales_see_group_stock', $2::boolean) where id = $1`, [org, on]);

async function vehicle(org: string, site: string, account: string | null = null): Promise<string> {
	const { rows } = await world.pool.query<{ id: string }>(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy, status)
		 values ($1, $2, $3, $4, 'Peugeot', '3008', 'hybrid', 'in_stock') returning id`,
		[org, site, account, testVin()]
	);
	return rows[0].id;
}

const sell = (id: string) => world.pool.query(`update public.vehicles set status = 'sold' where id = $1`, [id]);

/** A last notification to each client's person: once it arrived, every earlier change has too. */
async function settle(clients: [Client, string][]): Promise<void> {
	const markers = await Promise.all(
		clients.map(async ([, userId]) => {
			const { rows } = await world.pool.query<{ id: string }>(`insert into public.notifications (user_id, kind, title) values ($1, 'marker', 'end') returning id`, [userId]);
			return rows[0].id;
		})
	);
	await waitFor('the markers', () => clients.every(([c], i) => c.changes.some((ch) => ch.rowId === markers[i])));
}

const heard = (client: Client, ids: string[]) => ids.filter((id) => client.changes.some((ch) => ch.table === 'vehicles' && ch.rowId === id));

it("sends a sale at site B to a salesperson of site A only while the organisation shares its group stock", async () => {
	const { people, sites, orgId, otherOrgId, clients } = world;
	const stockB = await vehicle(orgId, sites.hub2);
	const clientCarB = await vehicle(orgId, sites.hub2, clients.acme);
	const foreign = await vehicle(otherOrgId, sites.otherOrg);

	// Setting off: site A's salesperson hears nothing of site B.
	await groupStock(orgId, false);
	const salesOff = await connect(node.port, people.sales.token);
	await sell(stockB);
	await settle([[salesOff, people.sales.id]]);
	expect(heard(salesOff, [stockB])).toEqual([]);
	salesOff.socket.close();

	// Setting on (both organisations): a sale, a new vehicle and a move at site B reach site A's
	// salesperson; a client's vehicle and the other organisation's stock do not.
	await groupStock(orgId, true);
	await groupStock(otherOrgId, true);
	const sales = await connect(node.port, people.sales.token);
	const salesX = await connect(node.port, otherSales.token);
	const operatorB = await connect(node.port, people.operator_other_site.token);
	await world.pool.query(`update public.vehicles set status = 'reserved' where id = $1`, [stockB]);
	const arrivedB = await vehicle(orgId, sites.hub2);
	await world.pool.query(`update public.vehicles set site_id = $2 where id = $1`, [arrivedB, sites.hub]);
	await world.pool.query(`update public.vehicles set mileage_km = 10 where id = $1`, [clientCarB]);
	await sell(foreign);
	await settle([
		[sales, people.sales.id],
		[salesX, otherSales.id],
		[operatorB, people.operator_other_site.id]
	]);
	// Created at B, then moved to site A's neighbour: both changes, as the group's stock.
	expect(heard(sales, [stockB, arrivedB, clientCarB, foreign])).toEqual([stockB, arrivedB]);
	expect(sales.changes.filter((ch) => ch.rowId === arrivedB)).toHaveLength(2);
	// Site B's own staff hear their site as before (the client's vehicle included).
	expect(heard(operatorB, [stockB, arrivedB, clientCarB, foreign])).toEqual([stockB, arrivedB, clientCarB]);
	// The other organisation's salesperson hears their own group's stock only.
	expect(heard(salesX, [stockB, arrivedB, clientCarB, foreign])).toEqual([foreign]);

	for (const c of [sales, salesX, operatorB]) c.socket.close();
	await groupStock(orgId, false);
	await groupStock(otherOrgId, false);
});

it('lets a reconnecting salesperson catch up on group stock changes, only while the setting is on', async () => {
	const { people, sites, orgId } = world;
	const caughtUp = (c: Client) => new Promise<CaughtUp>((resolve) => c.socket.once('caught_up', resolve));
	const replay = async (since: number) => {
		const screen = await connect(node.port, people.sales.token);
		const done = caughtUp(screen);
		await screen.socket.emitWithAck('catch_up', { since });
		await done;
		screen.socket.close();
		return screen;
	};
	const { rows } = await world.pool.query<{ id: number }>('select max(id)::bigint as id from public.change_log');
	const since = rows[0].id;
	const soldB = await vehicle(orgId, sites.hub2);
	await sell(soldB);

	await groupStock(orgId, true);
	expect(heard(await replay(since), [soldB])).toEqual([soldB]);
	await groupStock(orgId, false);
	expect(heard(await replay(since), [soldB])).toEqual([]);
});
