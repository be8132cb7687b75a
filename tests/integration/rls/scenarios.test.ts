import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { createWorld, personas, testVin, type Persona } from '../world';
import { actAs, attempt, rolledBack, visible } from './executor';
import { createRlsFixture, type RlsFixture } from './fixture';
import { sql, type Statement } from './tables';

/**
 * Access rules the matrix cannot express cell by cell: internal notes, the group stock
 * setting, the audience of the change log, and rules on what a new row may point at.
 */

let fx: RlsFixture;

beforeAll(async () => {
	fx = await createRlsFixture(await createWorld(inject('databaseUrl')));
});
afterAll(() => closePools());

const seenBy = (persona: Persona, table: string, ids: string[]) => visible(fx.world.pool, fx.world.people[persona], table, 'id', ids);

/** Asserts that the persona may (or may not) run the statement; the message names both. */
async function expectAttempt(persona: Persona, statement: Statement, allowed: boolean) {
	const outcome = await attempt(fx.world.pool, fx.world.people[persona], statement);
	const what = `${persona}: ${statement.text.replace(/\s+/g, ' ')} → ${outcome.allowed ? 'allowed' : outcome.reason}`;
	expect(outcome.allowed, what).toBe(allowed);
}
const may = (persona: Persona, statement: Statement) => expectAttempt(persona, statement, true);
const mayNot = (persona: Persona, statement: Statement) => expectAttempt(persona, statement, false);

describe('internal ticket notes', () => {
	it('a client reads the public messages of their thread, never its internal notes', async () => {
		const { message, internalMessage } = fx.at.hub;
		expect(await seenBy('client', 'ticket_messages', [message, internalMessage])).toEqual(new Set([message]));
		expect(await seenBy('operator', 'ticket_messages', [message, internalMessage])).toEqual(new Set([message, internalMessage]));
	});

	it('a client cannot write an internal note, even on their own thread', async () => {
		const { thread, site, account } = fx.at.hub;
		const write = (internal: boolean) =>
			sql(
				`insert into public.ticket_messages (thread_id, site_id, client_account_id, body, internal) values ($1, $2, $3, 'Psst', $4)`,
				thread,
				site,
				account,
				internal
			);
		await mayNot('client', write(true));
		await may('client', write(false));
		await may('operator', write(true));
	});

	it("an internal note's change reaches the site's staff, never the client", async () => {
		const { rows } = await fx.world.pool.query<{ id: string; row_id: string }>(
			`select id::text, row_id::text from public.change_log where table_name = 'ticket_messages' and op = 'insert' and row_id = any($1::uuid[])`,
			[[fx.at.hub.message, fx.at.hub.internalMessage]]
		);
		const change = (rowId: string) => rows.find((r) => r.row_id === rowId)?.id ?? 'missing';
		const [publicChange, internalChange] = [change(fx.at.hub.message), change(fx.at.hub.internalMessage)];
		expect(await seenBy('client', 'change_log', [publicChange, internalChange])).toEqual(new Set([publicChange]));
		expect(await seenBy('team_lead', 'change_log', [publicChange, internalChange])).toEqual(new Set([publicChange, internalChange]));
	});
});

describe('group stock', () => {
	const stock = () => [
		fx.at.dealer.vehicle,
		fx.groupStock.dealer2Vehicle,
		fx.groupStock.otherOrgVehicle,
		fx.at.hub.vehicle,
		fx.at.hub2.vehicle
	];

	it("with sales_see_group_stock, sales see other sites' dealer stock, never clients' vehicles nor another organisation's", async () => {
		expect(await seenBy('sales', 'vehicles', stock())).toEqual(new Set([fx.at.dealer.vehicle, fx.groupStock.dealer2Vehicle]));
	});

	it('the setting opens group stock to sales only', async () => {
		expect((await seenBy('operator', 'vehicles', stock())).has(fx.groupStock.dealer2Vehicle)).toBe(false);
		expect((await seenBy('csm', 'vehicles', stock())).has(fx.groupStock.dealer2Vehicle)).toBe(false);
	});

	it('once an admin turns the setting off, sales see their own site only', async () => {
		const { admin, sales } = fx.world.people;
		const seen = await rolledBack(fx.world.pool, admin, async (tx) => {
			const { rowCount } = await tx.query(
				`update public.organisations set settings = settings || '{"sales_see_group_stock": false}' where id = $1`,
				[fx.world.orgId]
			);
			expect(rowCount).toBe(1);
			await actAs(tx, sales);
			const { rows } = await tx.query<{ id: string }>('select id from public.vehicles where id = any($1::uuid[])', [stock()]);
			return new Set(rows.map((r) => r.id));
		});
		expect(seen).toEqual(new Set([fx.at.dealer.vehicle]));
		// Rolled back: the group still shares its stock.
		expect((await seenBy('sales', 'vehicles', stock())).has(fx.groupStock.dealer2Vehicle)).toBe(true);
	});
});

describe('change log: each change is read by exactly the audience it is routed to', () => {
	const staffOfHub: Persona[] = ['operator', 'team_lead', 'csm', 'site_manager', 'director', 'admin'];
	// Routing columns: site_ids, client_account_id, user_id, internal.
	const routes: [name: string, columns: (f: RlsFixture) => unknown[], audience: Persona[]][] = [
		['to the hub', (f) => [[f.siteIds.hub], null, null, false], staffOfHub],
		['to hub2', (f) => [[f.siteIds.hub2], null, null, false], ['operator_other_site', 'director', 'admin']],
		['to acme', (f) => [[], f.accountIds.acme, null, false], ['client']],
		['to the hub and acme, internal', (f) => [[f.siteIds.hub], f.accountIds.acme, null, true], staffOfHub],
		['to the driver', (f) => [[], null, f.world.people.driver.id, false], ['driver']],
		["to the other organisation's site", (f) => [[f.siteIds.otherOrg], null, null, false], ['admin_other_org']]
	];

	const readersOf = async (id: string) => {
		const readers: Persona[] = [];
		for (const persona of personas) if ((await seenBy(persona, 'change_log', [id])).has(id)) readers.push(persona);
		return readers;
	};
	const inOrder = (audience: string[]) => personas.filter((p) => audience.includes(p));

	it.each(routes)('%s', async (_name, columns, audience) => {
		const { rows } = await fx.world.pool.query<{ id: string }>(
			`insert into public.change_log (table_name, op, row_id, site_ids, client_account_id, user_id, internal)
			 values ('orders', 'update', gen_random_uuid(), $1::uuid[], $2, $3, $4) returning id::text`,
			columns(fx)
		);
		expect(await readersOf(rows[0].id)).toEqual(inOrder(audience));
	});

	it("a transfer's change (written by its trigger) reaches its sending site, its client and its driver", async () => {
		const { rows } = await fx.world.pool.query<{ id: string }>(
			`select id::text from public.change_log where table_name = 'transfers' and op = 'insert' and row_id = $1`,
			[fx.at.hub.transfer]
		);
		expect(await readersOf(rows[0].id)).toEqual(inOrder([...staffOfHub, 'client', 'driver']));
	});
});

describe('own rows', () => {
	it.each(personas)('%s reads their own profile, memberships and client memberships', async (persona) => {
		const { pool, people } = fx.world;
		const person = people[persona];
		for (const [table, column] of [
			['profiles', 'id'],
			['memberships', 'user_id'],
			['client_members', 'user_id']
		]) {
			const text = `select count(*)::int as n from public.${table} where ${column} = $1`;
			const all = (await pool.query(text, [person.id])).rows[0].n;
			const mine = (await withUser(pool, person.claims, (tx) => tx.query(text, [person.id]))).rows[0].n;
			expect(mine, table).toBe(all);
		}
	});
});

// What a new or changed row may point at. When these were written the policies did not check
// it (each `allowed: false` below failed): the expectations state the product's rule.
describe('people belong to one organisation', () => {
	it("an admin cannot give a role in their organisation to another organisation's person", async () => {
		const outsider = fx.at.otherOrg.prospect;
		const grant = (site: string | null, role: string) =>
			sql(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)`, fx.world.orgId, outsider, site, role);
		await mayNot('admin', grant(null, 'admin'));
		await mayNot('admin', grant(fx.siteIds.hub, 'operator'));
		await mayNot('site_manager', grant(fx.siteIds.hub, 'operator'));
	});

	it("a CSM cannot add another organisation's person, nor a staff member, to a client account", async () => {
		const join = (user: string) => sql(`insert into public.client_members (client_account_id, user_id) values ($1, $2)`, fx.accountIds.acme, user);
		await mayNot('csm', join(fx.at.otherOrg.prospect));
		// A CSM of the hub who joined acme would read acme's rows at every other site.
		await mayNot('csm', join(fx.world.people.csm.id));
		await may('csm', join(fx.at.hub.prospect));
	});
});

describe('rows point only at what their author may reach', () => {
	it("a vehicle, order or thread cannot name another organisation's client account", async () => {
		const { org, site, order } = fx.at.hub;
		const foreign = fx.accountIds.otherOrg;
		await mayNot(
			'operator',
			sql(
				`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, 'Fiat', '500', 'petrol')`,
				org,
				site,
				foreign,
				testVin()
			)
		);
		await mayNot('csm', sql(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'X-1', '2027-01-31')`, site, foreign));
		await mayNot(
			'operator',
			sql(
				`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, 'order', $3, 'Hi')`,
				site,
				foreign,
				order
			)
		);
	});

	it("a staff message goes to its thread's client only", async () => {
		const { thread, site } = fx.at.hub; // acme's thread
		const write = (account: string) =>
			sql(`insert into public.ticket_messages (thread_id, site_id, client_account_id, body) values ($1, $2, $3, 'Update')`, thread, site, account);
		await mayNot('operator', write(fx.accountIds.beta));
		await may('operator', write(fx.accountIds.acme));
	});

	it("a client adds tasks to their order only at the order's site and for their own vehicles", async () => {
		const { hub, otherOrg, beta } = fx.at;
		const task = (site: string, vehicle: string, service: string) =>
			sql(
				`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents) values ($1, $2, $3, $4, $5, 30, 2500)`,
				site,
				hub.account,
				hub.order,
				vehicle,
				service
			);
		await mayNot('client', task(otherOrg.site, hub.vehicle, otherOrg.service));
		await mayNot('client', task(hub.site, beta.vehicle, hub.service));
		await may('client', task(hub.site, hub.vehicle, hub.service));
	});

	// Otherwise "drivers read vehicles they convey" reads any vehicle whose id one knows.
	it("a transfer conveys a vehicle of its sending site, driven by one of the group's drivers", async () => {
		const { sales, driver } = fx.world.people;
		const transfer = (vehicle: string, driverId: string | null) =>
			sql(
				`insert into public.transfers (organisation_id, vehicle_id, from_site_id, delivery_address, reason, driver_id) values ($1, $2, $3, 'Lyon', 'Sale', $4)`,
				fx.world.orgId,
				vehicle,
				fx.siteIds.dealer,
				driverId
			);
		await mayNot('sales', transfer(fx.at.hub.spare.vehicle, null));
		await mayNot('sales', transfer(fx.at.otherOrg.spare.vehicle, null));
		await mayNot('sales', transfer(fx.at.dealer.spare.vehicle, sales.id));
		await may('sales', transfer(fx.at.dealer.spare.vehicle, driver.id));
	});

	it('a driver moves their assignment on but cannot point it at another vehicle', async () => {
		const change = (set: string) => sql(`update public.transfers set ${set} where id = $1`, fx.at.hub.transfer);
		await may('driver', change(`status = 'picked_up'`));
		await mayNot('driver', change(`vehicle_id = '${fx.at.beta.spare.vehicle}'`));
	});

	it("nobody records a transfer's step by hand, not even its own driver: its trigger does", async () => {
		const { transfer, site, owner } = fx.at.hub;
		const step = (driver: string) =>
			sql(
				`insert into public.transfer_events (transfer_id, from_site_id, client_account_id, driver_id, status) values ($1, $2, $3, $4, 'delivered')`,
				transfer,
				site,
				owner,
				driver
			);
		const { client, admin_other_org, driver } = fx.world.people;
		await mayNot('client', step(client.id));
		await mayNot('admin_other_org', step(admin_other_org.id));
		await mayNot('driver', step(driver.id));
	});
});

describe('authorship', () => {
	it('an order, a thread or a transfer is signed by whoever creates it, never in someone else\'s name', async () => {
		const { site, order } = fx.at.hub;
		const { people, clients } = fx.world;
		const orderAs = (author: string) =>
			sql(
				`insert into public.orders (site_id, client_account_id, reference, deadline, created_by) values ($1, $2, $3, '2027-01-31', $4)`,
				site,
				clients.acme,
				`SIGN-${author.slice(0, 8)}`,
				author
			);
		await may('csm', orderAs(people.csm.id));
		await mayNot('csm', orderAs(people.site_manager.id));
		const threadAs = (author: string) =>
			sql(
				`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title, created_by) values ($1, $2, 'order', $3, 'Retard', $4)`,
				site,
				clients.acme,
				order,
				author
			);
		await may('client', threadAs(people.client.id));
		await mayNot('client', threadAs(people.csm.id));
	});
});
