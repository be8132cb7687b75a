import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CaughtUp } from '../../../src/lib/realtime/events';
import { issueLocalToken } from '../../../src/lib/server/auth/tokens';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, testVin, type World } from '../world';
import { connect, startNode, waitFor, type Client, type Node } from './helpers';

/**
 * Live CRM changes stay at their sites: a lead, a quote, a customer or an interaction reaches
 * the rooms of the site it belongs to (and a lead its assignee), never a salesperson of another
 * dealership, a client, or another organisation; a reconnecting screen catches up on the same.
 *
 * Site A is the world's `dealer` (the `sales` persona); site B a second dealership made here.
 */
let world: World;
let node: Node;
let siteB: string;
let salesB: { id: string; token: string };
let salesB2: { id: string; token: string };
let customer: string;

const CRM_TABLES = ['customers', 'customer_interactions', 'leads', 'quotes'];

async function seller(site: string): Promise<{ id: string; token: string }> {
	const id = randomUUID();
	const email = `sales.${id.slice(0, 8)}@test.relais`;
	const q = (text: string, values: unknown[]) => world.pool.query(text, values);
	await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, world.orgId, 'Sales B', email]);
	await q(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'sales')`, [world.orgId, id, site]);
	return { id, token: (await issueLocalToken({ id, email })).token };
}

const one = async (text: string, values: unknown[]) => (await world.pool.query<{ id: string }>(text, values)).rows[0].id;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool);
	siteB = await one(
		`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 values ($1, 'CON-B', 'CON-B', 'dealership', 'CON-B SAS', '12345678900011', 'FR12123456789', '1 cours Berriat', '38000', 'Grenoble', 45.19, 5.72) returning id`,
		[world.orgId]
	);
	salesB = await seller(siteB);
	salesB2 = await seller(siteB);
	customer = await one(
		`insert into public.customers (organisation_id, last_name, email, first_site_id) values ($1, 'Durand', 'durand@test.relais', $2) returning id`,
		[world.orgId, world.sites.dealer]
	);
});
afterAll(async () => {
	await node.close();
	await closePools();
});

/** A last notification to each client's person: once it arrived, every earlier change has too. */
async function settle(clients: [Client, string][]): Promise<void> {
	const markers = await Promise.all(
		clients.map(([, userId]) =>
			one(`insert into public.notifications (user_id, kind, title) values ($1, 'marker', 'end') returning id`, [userId])
		)
	);
	await waitFor('the markers', () => clients.every(([c], i) => c.changes.some((ch) => ch.rowId === markers[i])));
}

/** The ops of the row's changes the client heard, in order. */
const heard = (client: Client, table: string, id: string) => client.changes.filter((ch) => ch.table === table && ch.rowId === id).map((ch) => ch.op);
const crmHeard = (client: Client) => client.changes.filter((ch) => CRM_TABLES.includes(ch.table));

/** Site A's salesperson, B's two, a client and another organisation's admin, all connected. */
async function audience() {
	const { people } = world;
	const who = {
		salesA: await connect(node.port, people.sales.token),
		salesB: await connect(node.port, salesB.token),
		salesB2: await connect(node.port, salesB2.token),
		client: await connect(node.port, people.client.token),
		otherOrg: await connect(node.port, people.admin_other_org.token)
	};
	const ids = { salesA: people.sales.id, salesB: salesB.id, salesB2: salesB2.id, client: people.client.id, otherOrg: people.admin_other_org.id };
	return {
		who,
		settle: () => settle((Object.keys(who) as (keyof typeof who)[]).map((k) => [who[k], ids[k]])),
		close: () => Object.values(who).forEach((c) => c.socket.close())
	};
}

const lead = (site: string, assignee: string | null = null) =>
	one(
		`insert into public.leads (organisation_id, site_id, customer_id, source, assigned_to, value_cents) values ($1, $2, $3, 'manual', $4, 2500000) returning id`,
		[world.orgId, site, customer, assignee]
	);

describe('CRM changes reach their site only', () => {
	it("a lead created at site A, then moved to another stage, reaches A's salesperson, never B's, a client nor another organisation", async () => {
		const live = await audience();
		const id = await lead(world.sites.dealer);
		await world.pool.query(`update public.leads set stage = 'contacted' where id = $1`, [id]);
		await live.settle();
		expect(heard(live.who.salesA, 'leads', id)).toEqual(['insert', 'update']);
		for (const name of ['salesB', 'salesB2', 'client', 'otherOrg'] as const) expect(crmHeard(live.who[name]), name).toEqual([]);
		live.close();
	});

	it('a lead reaches its assignee through their own room, wherever they work; their colleagues do not hear it', async () => {
		const live = await audience();
		// Assigned by the system to a seller of B while the lead is A's: only the user room carries it.
		const id = await lead(world.sites.dealer, salesB.id);
		await world.pool.query(`update public.leads set stage = 'test_drive' where id = $1`, [id]);
		await live.settle();
		expect(heard(live.who.salesB, 'leads', id)).toEqual(['insert', 'update']);
		expect(heard(live.who.salesA, 'leads', id)).toEqual(['insert', 'update']);
		for (const name of ['salesB2', 'client', 'otherOrg'] as const) expect(crmHeard(live.who[name]), name).toEqual([]);
		live.close();
	});

	it("a quote goes to its selling site only, even for a vehicle standing at another site", async () => {
		const vehicleB = await one(
			`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status, purchase_price_cents, sale_price_cents)
			 values ($1, $2, $3, 'Renault', 'Austral', 'hybrid', 'in_stock', 2600000, 3100000) returning id`,
			[world.orgId, siteB, testVin()]
		);
		const live = await audience();
		const id = await one(
			`insert into public.quotes (organisation_id, selling_site_id, customer_id, vehicle_id, number, price_cents) values ($1, $2, $3, $4, $5, 3050000) returning id`,
			[world.orgId, world.sites.dealer, customer, vehicleB, `Q-${randomUUID().slice(0, 8)}`]
		);
		await world.pool.query(`update public.quotes set status = 'sent' where id = $1`, [id]);
		await live.settle();
		expect(heard(live.who.salesA, 'quotes', id)).toEqual(['insert', 'update']);
		for (const name of ['salesB', 'salesB2', 'client', 'otherOrg'] as const) expect(crmHeard(live.who[name]), name).toEqual([]);
		live.close();
	});

	it("a customer's changes go to their first site's room only; an interaction to the site where it happened", async () => {
		const live = await audience();
		const id = await one(
			`insert into public.customers (organisation_id, last_name, phone, first_site_id) values ($1, 'Roux', '0611223344', $2) returning id`,
			[world.orgId, world.sites.dealer]
		);
		await world.pool.query(`update public.customers set city = 'Lyon' where id = $1`, [id]);
		const atB = await one(
			`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind) values ($1, $2, $3, 'call') returning id`,
			[world.orgId, id, siteB]
		);
		await live.settle();
		// The interaction at B also touches the customer (its last interaction): still A's room.
		expect(heard(live.who.salesA, 'customers', id)).toEqual(expect.arrayContaining(['insert', 'update']));
		expect(heard(live.who.salesA, 'customer_interactions', atB)).toEqual([]);
		// B's sellers read the group's customers, but hear only what happened at B.
		expect(heard(live.who.salesB, 'customers', id)).toEqual([]);
		expect(heard(live.who.salesB, 'customer_interactions', atB)).toEqual(['insert']);
		for (const name of ['client', 'otherOrg'] as const) expect(crmHeard(live.who[name]), name).toEqual([]);
		live.close();
	});
});

describe('catching up', () => {
	it("a reconnecting salesperson of B catches up on B's CRM changes and none of A's", async () => {
		const { rows } = await world.pool.query<{ id: number }>('select max(id)::bigint as id from public.change_log');
		const since = rows[0].id;
		const leadA = await lead(world.sites.dealer);
		const leadB = await lead(siteB);
		const screen = await connect(node.port, salesB.token);
		const done = new Promise<CaughtUp>((resolve) => screen.socket.once('caught_up', resolve));
		await screen.socket.emitWithAck('catch_up', { since });
		await done;
		screen.socket.close();
		expect(heard(screen, 'leads', leadB)).toEqual(['insert']);
		expect(heard(screen, 'leads', leadA)).toEqual([]);
	});
});
