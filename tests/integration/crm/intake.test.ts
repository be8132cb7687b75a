import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asAnon, closePools, withUser } from '../../../src/lib/server/db/pool';
import { importLeads } from '../../../src/lib/server/crm/import-leads';
import { enterLead, writeManualLead } from '../../../src/lib/server/crm/lead-entry';
import { leadFormPage, submitWebLead, webLeadSchema, type WebLeadInput } from '../../../src/lib/server/crm/intake';
import { listLeads } from '../../../src/lib/server/crm/leads';
import { validate } from '../../../src/lib/validation';
import { createWorld, type World } from '../world';

/**
 * How leads come in: a visitor's web form (as anon, with the form key as the only credential),
 * a CSV file (all or nothing, as the importer), and a lead typed in by a sales person (as the
 * person: row-level security decides which site they may enter it for). Each is then assigned
 * by the organisation's rules; here the rules send everything to the world's dealership.
 */
let world: World;
let formKey: string;
let otherDealer: string;
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const count = async (table: string) =>
	(await q(`select count(*)::int as n from public.${table} where organisation_id = $1`, [world.orgId])).rows[0].n as number;
const messages = {
	lastNameRequired: () => 'last name required',
	tooLong: () => 'too long',
	emailInvalid: () => 'email invalid',
	phoneInvalid: () => 'phone invalid',
	contactRequired: () => 'email or phone',
	postcodeInvalid: () => 'postcode invalid',
	consentRequired: () => 'consent required'
};

afterAll(() => closePools());
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	formKey = randomUUID().replace(/-/g, '');
	await q(`insert into public.lead_forms (organisation_id, site_id, public_key, title) values ($1, $2, $3, 'Contact CON-A')`, [
		world.orgId,
		world.sites.dealer,
		formKey
	]);
	await q(`insert into public.lead_rules (organisation_id, position, kind, params) values ($1, 1, 'round_robin', '{}'), ($1, 2, 'fallback', $2)`, [
		world.orgId,
		JSON.stringify({ site_id: world.sites.dealer })
	]);
	otherDealer = randomUUID();
	await q(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 values ($1, $2, 'CON-B', 'CON-B', 'dealership', 'CON-B SAS', '12345678900029', 'FR12123456789', '2 rue du Test', '38000', 'Grenoble', 45.19, 5.72)`,
		[otherDealer, world.orgId]
	);
});

const visitor = (over: Partial<WebLeadInput> = {}): WebLeadInput => ({
	lastName: 'Visiteur',
	firstName: 'Valérie',
	email: undefined,
	phone: undefined,
	postcode: '69003',
	message: 'Je cherche un SUV.',
	vehicle: undefined,
	consent: 'on',
	...over
});

describe('the public web form, as anon', () => {
	it('shows its title and site for a known key, nothing for an unknown one', async () => {
		expect(await leadFormPage(world.pool, formKey)).toEqual({ title: 'Contact CON-A', siteName: 'CON-A', siteCity: 'Lyon' });
		expect(await leadFormPage(world.pool, 'f'.repeat(32))).toBeNull();
		expect(await leadFormPage(world.pool, 'not-a-key')).toBeNull();
	});

	it('refuses a submission to an unknown form, writing nothing', async () => {
		const before = await count('leads');
		expect(await submitWebLead(world.pool, 'a'.repeat(32), visitor({ email: 'nobody@example.test' }))).toEqual({ ok: false, error: 'unknown_form' });
		expect(await count('leads')).toBe(before);
	});

	it('rejects invalid input field by field, and nothing reaches the database', async () => {
		const before = { leads: await count('leads'), customers: await count('customers') };
		const checked = validate(webLeadSchema(messages), { lastName: ' ', email: '', phone: '', postcode: '380', consent: undefined }, 'en');
		expect(checked.ok).toBe(false);
		if (checked.ok) return;
		expect(checked.errors).toMatchObject({
			lastName: ['last name required'],
			postcode: ['postcode invalid'],
			consent: ['consent required'],
			email: ['email or phone'],
			phone: ['email or phone']
		});
		// Past the page, the database's own checks still hold, and the whole submission rolls back.
		await expect(submitWebLead(world.pool, formKey, visitor({ email: 'half@example.test', postcode: '380' }))).rejects.toThrow();
		expect({ leads: await count('leads'), customers: await count('customers') }).toEqual(before);
	});

	it('finds the existing customer by a phone typed another way, writes the lead and its interaction, and assigns it', async () => {
		const { rows } = await q(`insert into public.customers (organisation_id, last_name, phone) values ($1, 'Martin', '+33 6 12 34 56 78') returning id`, [
			world.orgId
		]);
		const result = await submitWebLead(world.pool, formKey, visitor({ lastName: 'Martin', phone: '06.12.34.56.78', postcode: '38000' }));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const { rows: lead } = await q(
			`select customer_id, source, form_site_id, site_id, assigned_to, site_rule, person_rule, message, created_by from public.leads where id = $1`,
			[result.leadId]
		);
		expect(lead[0]).toEqual({
			customer_id: rows[0].id,
			source: 'web_form',
			form_site_id: world.sites.dealer,
			site_id: world.sites.dealer,
			assigned_to: world.people.sales.id,
			site_rule: 'form_site',
			person_rule: 'round_robin',
			message: 'Je cherche un SUV.',
			created_by: null
		});
		expect(result.assignment).toMatchObject({ siteId: world.sites.dealer, assignedTo: world.people.sales.id });
		const { rows: customer } = await q(`select postcode, phone from public.customers where id = $1`, [rows[0].id]);
		expect(customer[0]).toEqual({ postcode: '38000', phone: '+33 6 12 34 56 78' });
		const { rows: interactions } = await q(`select kind, site_id, note from public.customer_interactions where lead_id = $1`, [result.leadId]);
		expect(interactions).toEqual([{ kind: 'web_form', site_id: world.sites.dealer, note: 'Je cherche un SUV.' }]);
		// The salesperson reads it in their own list.
		const mine = await withUser(world.pool, world.people.sales.claims, (sql) => listLeads(sql, { view: 'mine', currentSiteId: world.sites.dealer }));
		expect(mine.rows.find((r) => r.id === result.leadId)).toMatchObject({ customerName: 'Martin', siteRule: 'form_site', personRule: 'round_robin' });
	});

	it('gives anon nothing but the form: no table is readable', async () => {
		await expect(asAnon(world.pool, (sql) => sql.query('select * from public.customers limit 1'))).rejects.toThrow(/permission denied/);
		await expect(asAnon(world.pool, (sql) => sql.query('select * from public.leads limit 1'))).rejects.toThrow(/permission denied/);
	});
});

describe('importing leads from a CSV file', () => {
	const run = randomUUID().slice(0, 6);
	const good = [
		'prénom;nom;email;téléphone;code postal;message',
		`Anne;Import${run};anne.${run}@example.test;06 11 22 33 44;38000;Essai`,
		`Bruno;Import${run};;+33 6 99 88 77 66;;`,
		// The same person as row 2, typed another way: one customer, two leads.
		`Anne;Import${run};ANNE.${run}@example.test;;;Rappel`
	];

	it('refuses the whole file when a row is wrong, reporting rows and fields, and writes nothing', async () => {
		const before = { leads: await count('leads'), customers: await count('customers') };
		const bad = [...good, `;Sans contact;;;380;`].join('\n');
		const result = await importLeads(world.pool, world.people.sales.claims, { text: bad, siteId: world.sites.dealer });
		expect(result).toEqual({
			ok: false,
			errors: [
				{ line: 5, field: 'postcode', code: 'invalid_postcode', value: '380' },
				{ line: 5, field: 'phone', code: 'contact_required', value: '' }
			]
		});
		expect({ leads: await count('leads'), customers: await count('customers') }).toEqual(before);
	});

	it('imports a good file in English or French, deduplicating customers, and assigns every lead', async () => {
		const before = await count('customers');
		const result = await importLeads(world.pool, world.people.sales.claims, { text: good.join('\n'), siteId: world.sites.dealer });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.summary).toMatchObject({ leads: 3, newCustomers: 2, knownCustomers: 1 });
		expect(result.summary.assignments.map((a) => [a.line, a.siteId, a.assignedTo])).toEqual([
			[2, world.sites.dealer, world.people.sales.id],
			[3, world.sites.dealer, world.people.sales.id],
			[4, world.sites.dealer, world.people.sales.id]
		]);
		expect(await count('customers')).toBe(before + 2);
		const { rows } = await q(
			`select c.email, count(*)::int as leads from public.leads l join public.customers c on c.id = l.customer_id
			  where c.last_name = $1 and l.source = 'import' group by c.email order by c.email nulls first`,
			[`Import${run}`]
		);
		expect(rows).toEqual([
			{ email: null, leads: 1 },
			{ email: `anne.${run}@example.test`, leads: 2 }
		]);
		const english = await importLeads(world.pool, world.people.sales.claims, {
			text: `first_name,last_name,phone,postcode\nCarl,Import${run},0611223399,1000\n`,
			siteId: world.sites.dealer
		});
		expect(english).toMatchObject({ ok: true, summary: { leads: 1, newCustomers: 1 } });
		const { rows: carl } = await q(`select postcode from public.customers where first_name = 'Carl' and last_name = $1`, [`Import${run}`]);
		expect(carl).toEqual([{ postcode: '01000' }]);
	});
});

describe('a lead entered by hand', () => {
	const newCustomer = () => ({ lastName: `Saisie-${randomUUID().slice(0, 6)}`, phone: '04 76 00 00 01' });

	it('a sales person cannot enter a lead at a site that is not theirs (RLS), and nothing is written', async () => {
		const before = { leads: await count('leads'), customers: await count('customers') };
		await expect(
			withUser(world.pool, world.people.sales.claims, (sql) =>
				writeManualLead(sql, { customer: newCustomer(), siteId: otherDealer, keep: true, kind: 'call' })
			)
		).rejects.toMatchObject({ code: '42501' });
		expect({ leads: await count('leads'), customers: await count('customers') }).toEqual(before);
	});

	it('kept, it is the person’s at their site with the manual rules; otherwise the rules assign it', async () => {
		const db = <T>(fn: Parameters<typeof withUser<T>>[2]) => withUser(world.pool, world.people.sales.claims, fn);
		const kept = await enterLead(world.pool, db, { customer: newCustomer(), siteId: world.sites.dealer, keep: true, kind: 'visit', message: 'Vu en showroom' });
		const { rows } = await q(`select site_id, assigned_to, site_rule, person_rule, source, first_response_at is not null as answered from public.leads where id = $1`, [
			kept.leadId
		]);
		expect(rows[0]).toEqual({ site_id: world.sites.dealer, assigned_to: world.people.sales.id, site_rule: 'manual', person_rule: 'manual', source: 'manual', answered: true });

		const ruled = await enterLead(world.pool, db, { customer: newCustomer(), siteId: world.sites.dealer, keep: false, kind: 'call' });
		expect(ruled.assignment).toMatchObject({ siteId: world.sites.dealer, assignedTo: world.people.sales.id, siteRule: 'fallback' });
	});
});
