import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import { CustomerError, customerHistory, duplicatePairs, listCustomers, mergeCustomers, updateCustomer } from '../../../src/lib/server/crm/customers';
import { createWorld, testVin, type World } from '../world';

/**
 * One customer across the group's sites, under row-level security: the world's dealership
 * (site A, its `sales` persona) and a second dealership B with its own manager. The history is
 * the group's; a quote's margin is the selling site's money; merging is the managers'.
 */
let world: World;
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
type Who = 'salesA' | 'managerA' | 'managerB' | 'director' | 'operator' | 'csm' | 'client';
const people = {} as Record<Who, JwtClaims>;
const as = <T>(who: Who, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, people[who], fn);
let siteA: string;
let siteB: string;
let vehicleA: string;
let vehicleB: string;

async function member(role: string, site: string | null): Promise<JwtClaims> {
	const id = randomUUID();
	const email = `${role}.${id.slice(0, 8)}@test.relais`;
	await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, world.orgId, `${role} ${id.slice(0, 4)}`, email]);
	await q('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [world.orgId, id, site, role]);
	return { sub: id, role: 'authenticated', email };
}

async function vehicle(site: string, purchaseEur: number, saleEur: number): Promise<string> {
	const { rows } = await q(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status, purchase_price_cents, sale_price_cents)
		 values ($1, $2, $3, 'Peugeot', '3008', 'petrol', 'in_stock', $4, $5) returning id`,
		[world.orgId, site, testVin(), purchaseEur * 100, saleEur * 100]
	);
	return rows[0].id;
}

async function customer(fields: { last: string; email?: string | null; phone?: string | null; first?: string | null; city?: string | null }): Promise<string> {
	const { rows } = await q(
		`insert into public.customers (organisation_id, first_name, last_name, email, phone, city, first_site_id) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
		[world.orgId, fields.first ?? null, fields.last, fields.email ?? null, fields.phone ?? null, fields.city ?? null, siteA]
	);
	return rows[0].id;
}

/** A lead, an interaction and a quote of the customer at a site; returns their ids. */
async function historyAt(customerId: string, site: string, vehicleId: string, number: string) {
	const lead = await q(
		`insert into public.leads (organisation_id, site_id, customer_id, source, stage, value_cents) values ($1, $2, $3, 'manual', 'quote', 2000000) returning id`,
		[world.orgId, site, customerId]
	);
	const interaction = await q(
		`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, vehicle_id, note) values ($1, $2, $3, 'visit', $4, $5) returning id`,
		[world.orgId, customerId, site, vehicleId, `visit ${number}`]
	);
	const quote = await q(
		`insert into public.quotes (organisation_id, selling_site_id, lead_id, customer_id, vehicle_id, number, status, price_cents)
		 values ($1, $2, $3, $4, $5, $6, 'sent', 2000000) returning id`,
		[world.orgId, site, lead.rows[0].id, customerId, vehicleId, number]
	);
	return { lead: lead.rows[0].id as string, interaction: interaction.rows[0].id as string, quote: quote.rows[0].id as string };
}

const countsOf = async (customerId: string) =>
	(
		await q(
			`select (select count(*)::int from public.leads where customer_id = $1) as leads,
			        (select count(*)::int from public.customer_interactions where customer_id = $1) as interactions,
			        (select count(*)::int from public.quotes where customer_id = $1) as quotes,
			        (select count(*)::int from public.customers where id = $1) as customers`,
			[customerId]
		)
	).rows[0];

afterAll(() => closePools());
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	siteA = world.sites.dealer;
	siteB = randomUUID();
	await q(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 values ($1, $2, 'CON-B', 'CON-B', 'dealership', 'CON-B SAS', '22222222200022', 'FR22222222200', '1 rue du Test', '13001', 'Marseille', 43.3, 5.4)`,
		[siteB, world.orgId]
	);
	people.salesA = world.people.sales.claims;
	people.operator = world.people.operator.claims;
	people.csm = world.people.csm.claims;
	people.client = world.people.client.claims;
	people.director = world.people.director.claims;
	people.managerA = await member('site_manager', siteA);
	people.managerB = await member('site_manager', siteB);
	vehicleA = await vehicle(siteA, 15_000, 20_000);
	vehicleB = await vehicle(siteB, 17_000, 20_000);
});

describe('the whole history, margins by site', () => {
	let camille: string;
	beforeAll(async () => {
		camille = await customer({ first: 'Camille', last: 'Durand', email: 'camille.durand@exemple.fr', phone: '+33 6 11 22 33 44' });
		await historyAt(camille, siteA, vehicleA, 'DV-A-1');
		await historyAt(camille, siteB, vehicleB, 'DV-B-1');
	});
	const margins = async (who: Who) => {
		const history = await as(who, (sql) => customerHistory(sql, camille));
		return Object.fromEntries(history!.timeline.filter((e) => e.type === 'quote').map((e) => [e.number, e.marginCents]));
	};

	it("a sales person of site A reads site B's interactions and quotes too, but never B's margin", async () => {
		await q(`update public.organisations set settings = settings - 'sales_see_margin' where id = $1`, [world.orgId]);
		const history = await as('salesA', (sql) => customerHistory(sql, camille));
		const entries = history!.timeline.map((e) => `${e.type}@${e.site}`);
		expect(entries).toEqual(expect.arrayContaining(['interaction@CON-A', 'interaction@CON-B', 'quote@CON-A', 'quote@CON-B']));
		expect(history!.timeline.find((e) => e.type === 'interaction' && e.site === 'CON-B')).toMatchObject({ note: 'visit DV-B-1' });
		// Both vehicles are the customer's, the other site's one included.
		expect(history!.vehicles.map((v) => v.id).sort()).toEqual([vehicleA, vehicleB].sort());
		expect(await margins('salesA')).toEqual({ 'DV-A-1': null, 'DV-B-1': null });
		// The list shows both sites and the open leads.
		const list = await as('salesA', (sql) => listCustomers(sql, { q: 'Durand' }));
		// Open leads count those the person works (site B's lead is B's); a director counts both.
		expect(list.rows.find((r) => r.id === camille)).toMatchObject({ sites: ['CON-A', 'CON-B'], openLeads: 1, lastKind: 'visit' });
		const all = await as('director', (sql) => listCustomers(sql, { q: 'Durand' }));
		expect(all.rows.find((r) => r.id === camille)).toMatchObject({ openLeads: 2 });
	});

	it("with sales_see_margin, the sales person reads their own site's margin only", async () => {
		await q(`update public.organisations set settings = settings || '{"sales_see_margin": true}' where id = $1`, [world.orgId]);
		expect(await margins('salesA')).toEqual({ 'DV-A-1': 500_000, 'DV-B-1': null });
		await q(`update public.organisations set settings = settings - 'sales_see_margin' where id = $1`, [world.orgId]);
	});

	it("site B's manager reads B's margins and not A's; a director reads both", async () => {
		expect(await margins('managerB')).toEqual({ 'DV-A-1': null, 'DV-B-1': 300_000 });
		expect(await margins('managerA')).toEqual({ 'DV-A-1': 500_000, 'DV-B-1': null });
		expect(await margins('director')).toEqual({ 'DV-A-1': 500_000, 'DV-B-1': 300_000 });
	});

	it('an operator, a csm and a client see no customer at all', async () => {
		for (const who of ['operator', 'csm', 'client'] as const) {
			expect(await as(who, (sql) => customerHistory(sql, camille)), who).toBeNull();
			expect((await as(who, (sql) => listCustomers(sql, {}))).rows, who).toEqual([]);
			expect(await as(who, (sql) => duplicatePairs(sql)), who).toEqual([]);
		}
	});

	it('contact details are checked field by field, in the reader’s language', async () => {
		const refusal = await as('salesA', (sql) => updateCustomer(sql, camille, { lastName: '', email: 'pas-un-email', postcode: '1300' }, 'fr')).catch((e) => e);
		expect(refusal).toBeInstanceOf(CustomerError);
		expect(Object.keys((refusal as CustomerError).errors).sort()).toEqual(['email', 'lastName', 'postcode']);
		expect((refusal as CustomerError).errors.postcode[0]).toBe('Le code postal compte 5 chiffres.');
		await as('salesA', (sql) => updateCustomer(sql, camille, { firstName: 'Camille', lastName: 'Durand', email: '', phone: '06 11 22 33 44', postcode: '69003', city: 'Lyon' }, 'en'));
		expect((await q(`select email, postcode from public.customers where id = $1`, [camille])).rows[0]).toEqual({ email: null, postcode: '69003' });
	});
});

describe('duplicates and merging', () => {
	it('finds the phone typed differently and the upper-case email, and the search compares the same keys', async () => {
		const phoneA = await customer({ last: 'Lambert', phone: '+33 6 98 76 54 32' });
		const phoneB = await customer({ last: 'Lambert', phone: '06.98.76.54.32' });
		const mailA = await customer({ last: 'Bonnet', email: 'lea.bonnet@exemple.fr' });
		const mailB = await customer({ last: 'Bonnet', email: 'LEA.BONNET@EXEMPLE.FR' });
		const pairs = await as('salesA', (sql) => duplicatePairs(sql));
		const found = (x: string, y: string) => pairs.find((p) => [p.a.id, p.b.id].sort().join() === [x, y].sort().join());
		expect(found(phoneA, phoneB)?.on).toBe('phone');
		expect(found(mailA, mailB)?.on).toBe('email');
		const search = async (text: string) => (await as('salesA', (sql) => listCustomers(sql, { q: text }))).rows.map((r) => r.id).sort();
		expect(await search('0698765432')).toEqual([phoneA, phoneB].sort());
		expect(await search('Lea.Bonnet@exemple.fr')).toEqual([mailA, mailB].sort());
	});

	it('a manager merges: everything moves, empty fields fill, nothing of the dropped record is left, the trail says why', async () => {
		const keep = await customer({ last: 'Faure', phone: '06 55 44 33 22' });
		const drop = await customer({ first: 'Hugo', last: 'Faure', phone: '+33 6 55 44 33 22', email: 'hugo.faure@exemple.fr', city: 'Lyon' });
		await historyAt(keep, siteA, vehicleA, 'DV-M-1');
		const moved = await historyAt(drop, siteA, vehicleA, 'DV-M-2');
		await as('managerA', (sql) => mergeCustomers(sql, { keepId: keep, dropId: drop, reason: 'Même client, deux fiches' }, 'fr'));
		expect(await countsOf(drop)).toEqual({ leads: 0, interactions: 0, quotes: 0, customers: 0 });
		expect(await countsOf(keep)).toEqual({ leads: 2, interactions: 2, quotes: 2, customers: 1 });
		const { rows } = await q(`select first_name, email, city from public.customers where id = $1`, [keep]);
		expect(rows[0]).toEqual({ first_name: 'Hugo', email: 'hugo.faure@exemple.fr', city: 'Lyon' });
		const history = await as('managerA', (sql) => customerHistory(sql, keep));
		expect(history!.timeline.map((e) => e.id)).toEqual(expect.arrayContaining([moved.lead, moved.interaction, moved.quote]));
		const trail = await q(`select row_id, op, reason, new_row from public.audit_log where table_name = 'customers' and row_id in ($1, $2) order by id`, [keep, drop]);
		expect(trail.rows).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ row_id: drop, op: 'delete', reason: 'Même client, deux fiches' }),
				expect.objectContaining({ row_id: keep, op: 'update', reason: 'Même client, deux fiches', new_row: expect.objectContaining({ merged_from: drop }) })
			])
		);
		// The moved quote's new customer is in the quotes' trail with the same reason.
		const quoteTrail = await q(`select reason from public.audit_log where table_name = 'quotes' and row_id = $1 and op = 'update'`, [moved.quote]);
		expect(quoteTrail.rows).toEqual([{ reason: 'Même client, deux fiches' }]);
	});

	it('is refused to a sales person, with nothing changed', async () => {
		const keep = await customer({ last: 'Blanc', phone: '06 10 20 30 40' });
		const drop = await customer({ last: 'Blanc', phone: '0610203040' });
		await historyAt(drop, siteA, vehicleA, 'DV-S-1');
		const refusal = await as('salesA', (sql) => mergeCustomers(sql, { keepId: keep, dropId: drop }, 'en')).catch((e) => e);
		expect(refusal).toBeInstanceOf(CustomerError);
		expect((refusal as CustomerError).status).toBe(403);
		expect(await countsOf(drop)).toEqual({ leads: 1, interactions: 1, quotes: 1, customers: 1 });
		// Nor can they go round the function: the delete policy keeps the record.
		await as('salesA', (sql) => sql.query(`delete from public.customers where id = $1`, [drop]));
		expect((await countsOf(drop)).customers).toBe(1);
	});

	it('leaves nothing half-done when part of the history is out of reach, and names the refusal', async () => {
		const keep = await customer({ last: 'Morin', email: 'morin@exemple.fr' });
		const drop = await customer({ last: 'Morin', email: 'MORIN@exemple.fr' });
		await historyAt(drop, siteA, vehicleA, 'DV-R-1');
		await historyAt(drop, siteB, vehicleB, 'DV-R-2');
		// B's manager could move B's rows but not A's: the whole merge is undone.
		const refusal = await as('managerB', (sql) => mergeCustomers(sql, { keepId: keep, dropId: drop }, 'en')).catch((e) => e);
		expect((refusal as CustomerError).errors['']).toEqual(["Some of these records' history is at a site you do not manage: ask a director to merge them."]);
		expect(await countsOf(drop)).toEqual({ leads: 2, interactions: 2, quotes: 2, customers: 1 });
		expect(await countsOf(keep)).toEqual({ leads: 0, interactions: 0, quotes: 0, customers: 1 });
		// The director reaches every site.
		await as('director', (sql) => mergeCustomers(sql, { keepId: keep, dropId: drop }, 'en'));
		expect(await countsOf(keep)).toEqual({ leads: 2, interactions: 2, quotes: 2, customers: 1 });
	});

	it('refuses the same record twice and records of two organisations', async () => {
		const one = await customer({ last: 'Henry', phone: '06 00 00 00 01' });
		const same = await as('director', (sql) => mergeCustomers(sql, { keepId: one, dropId: one }, 'fr')).catch((e) => e);
		expect((same as CustomerError).status).toBe(400);
		const other = await q(`insert into public.customers (organisation_id, last_name, phone) values ($1, 'Henry', '06 00 00 00 01') returning id`, [world.otherOrgId]);
		// Signed in, the other organisation's record does not exist for the person.
		const unseen = await as('director', (sql) => mergeCustomers(sql, { keepId: one, dropId: other.rows[0].id }, 'en')).catch((e) => e);
		expect((unseen as CustomerError).status).toBe(404);
		// Even a caller that sees both (no RLS) is refused.
		const across = await q(`select public.merge_customers($1, $2)`, [one, other.rows[0].id]).catch((e) => e);
		expect(across.hint).toBe('customer_merge_other_organisation');
		expect((await countsOf(other.rows[0].id)).customers).toBe(1);
	});
});
