import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { asService, closePools, getPool } from '../../../src/lib/server/db/pool';
import { assignLead } from '../../../src/lib/server/crm/assign';
import { escalateLeads } from '../../../src/lib/server/crm/escalation';
import { testVin } from '../world';

/**
 * Lead assignment against a real database: an organisation of four dealerships at their real
 * places (Lyon, Grenoble, Marseille, and Annecy with a manager but no sales people), leads
 * arriving through a site's form, and each rule of the chain configured in turn.
 */
let pool: pg.Pool;
const orgId = randomUUID();
const tag = randomUUID().slice(0, 8);
const site = { lyon: randomUUID(), grenoble: randomUUID(), marseille: randomUUID(), annecy: randomUUID() };
const people: Record<string, string> = {};
const q = (text: string, values: unknown[] = []) => pool.query(text, values);

async function person(key: string, role: string, siteId: string, name: string, locale = 'fr'): Promise<void> {
	const id = randomUUID();
	const email = `${key}.${tag}@test.relais`;
	await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await q('insert into public.profiles (id, organisation_id, full_name, email, locale) values ($1, $2, $3, $4, $5)', [id, orgId, name, email, locale]);
	await q('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [orgId, id, siteId, role]);
	people[key] = id;
}

async function rules(list: { kind: string; params?: object; siteId?: string }[]): Promise<void> {
	await q('delete from public.lead_rules where organisation_id = $1', [orgId]);
	for (const [position, r] of list.entries()) {
		await q('insert into public.lead_rules (organisation_id, site_id, position, kind, params) values ($1, $2, $3, $4, $5)', [
			orgId,
			r.siteId ?? null,
			position,
			r.kind,
			JSON.stringify(r.params ?? {})
		]);
	}
}

async function lead(opts: { form?: string | null; postcode?: string | null; vehicle?: string | null } = {}): Promise<string> {
	const { rows: c } = await q(
		`insert into public.customers (organisation_id, last_name, email, postcode) values ($1, 'Durand', $2, $3) returning id`,
		[orgId, `c.${randomUUID().slice(0, 8)}@example.test`, opts.postcode ?? null]
	);
	const { rows } = await q(
		`insert into public.leads (organisation_id, customer_id, source, form_site_id, requested_vehicle_id)
		 values ($1, $2, $3, $4, $5) returning id`,
		[orgId, c[0].id, opts.form === null ? 'manual' : 'web_form', opts.form === undefined ? site.lyon : opts.form, opts.vehicle ?? null]
	);
	return rows[0].id;
}

const assign = (leadId: string) => asService(pool, (sql) => assignLead(sql, leadId));
const stored = async (leadId: string) =>
	(await q('select site_id, assigned_to, site_rule, person_rule, assignment_detail, assigned_at from public.leads where id = $1', [leadId])).rows[0];

beforeAll(async () => {
	pool = getPool(inject('databaseUrl'));
	await q(`insert into public.organisations (id, name, settings) values ($1, $2, '{"lead_response_minutes": 60}')`, [orgId, `CRM ${tag}`]);
	const places: [string, string, number, number][] = [
		[site.lyon, 'LYV', 45.764, 4.8357],
		[site.grenoble, 'GRE', 45.1885, 5.7245],
		[site.marseille, 'MRP', 43.2965, 5.3698],
		[site.annecy, 'ANN', 45.8992, 6.1294]
	];
	for (const [id, code, lat, lon] of places) {
		await q(
			`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
			 values ($1, $2, $3, $3, 'dealership', $3 || ' SAS', '12345678900011', 'FR12123456789', '1 rue du Test', '69000', $3, $4, $5)`,
			[id, orgId, `${code}-${tag.slice(0, 4).toUpperCase()}`, lat, lon]
		);
	}
	await person('gaelle', 'sales', site.lyon, 'Gaëlle Bernard');
	await person('thomas', 'sales', site.lyon, 'Thomas Mercier');
	await person('ines', 'sales', site.grenoble, 'Inès Morel', 'en');
	await person('pauline', 'sales', site.marseille, 'Pauline Lambert');
	await person('paul', 'sales', site.marseille, 'Paul Vidal');
	await person('marc', 'site_manager', site.lyon, 'Marc Garnier');
	await person('olivier', 'site_manager', site.marseille, 'Olivier Chevalier', 'en');
	await person('agnes', 'site_manager', site.annecy, 'Agnès Roy');
});

afterAll(async () => {
	await q('delete from public.organisations where id = $1', [orgId]);
	await closePools();
});

describe('assignment rules', () => {
	beforeEach(() => rules([]));

	it("vehicle_site: a lead naming a vehicle goes to the vehicle's site and notifies the assignee in their language", async () => {
		await rules([{ kind: 'vehicle_site' }, { kind: 'round_robin' }]);
		const { rows } = await q(
			`insert into public.vehicles (organisation_id, site_id, vin, plate, make, model, energy)
			 values ($1, $2, $3, 'GH-456-JK', 'Peugeot', '308', 'petrol') returning id`,
			[orgId, site.grenoble, testVin()]
		);
		const id = await lead({ vehicle: rows[0].id });
		const result = await assign(id);
		expect(result).toEqual({
			siteId: site.grenoble,
			assignedTo: people.ines,
			siteRule: 'vehicle_site',
			personRule: 'round_robin',
			detail: { vehicle_plate: 'GH-456-JK' }
		});
		const row = await stored(id);
		expect(row).toMatchObject({ site_id: site.grenoble, assigned_to: people.ines, site_rule: 'vehicle_site', person_rule: 'round_robin' });
		expect(row.assigned_at).not.toBeNull();
		const { rows: notes } = await q(`select kind, title, body, link from public.notifications where user_id = $1`, [people.ines]);
		expect(notes).toEqual([
			expect.objectContaining({ kind: 'lead_assigned', title: 'New lead: Durand', link: `/crm/leads?lead=${id}` })
		]);
		expect(notes[0].body).toContain('GH-456-JK');
	});

	it('nearest_site: a customer from Aix-en-Provence goes to Marseille, with the distance', async () => {
		await rules([{ kind: 'nearest_site', params: { max_km: 150 } }, { kind: 'round_robin' }]);
		const id = await lead({ postcode: '13100' });
		const result = await assign(id);
		expect(result).toMatchObject({ siteId: site.marseille, siteRule: 'nearest_site', personRule: 'round_robin' });
		expect(result.detail.postcode).toBe('13100');
		expect(result.detail.distance_km).toBeGreaterThan(20);
		expect(result.detail.distance_km).toBeLessThan(35);
		expect((await stored(id)).assignment_detail).toEqual(result.detail);
		// Beyond max_km the rule does not apply: Brest is far from every site.
		await rules([{ kind: 'nearest_site', params: { max_km: 150 } }]);
		expect((await assign(await lead({ postcode: '29200', form: null }))).siteId).toBeNull();
	});

	it('fastest_responder: the smallest median response over 30 days wins, with the median', async () => {
		await rules([{ kind: 'fastest_responder' }]);
		const { rows: c } = await q(`select id from public.customers where organisation_id = $1 limit 1`, [orgId]);
		const past = (who: string, daysAgo: number, minutes: number) =>
			q(
				`insert into public.leads (organisation_id, site_id, customer_id, source, assigned_to, assigned_at, first_response_at, stage)
				 values ($1, $2, $3, 'manual', $4, now() - make_interval(days => $5), now() - make_interval(days => $5) + make_interval(mins => $6), 'contacted')`,
				[orgId, site.lyon, c[0].id, people[who], daysAgo, minutes]
			);
		for (const m of [20, 30, 40]) await past('gaelle', 3, m);
		for (const m of [5, 10, 60]) await past('thomas', 4, m);
		// Older than 30 days: does not count (it would make Gaëlle the fastest).
		for (const m of [1, 1, 1, 1]) await past('gaelle', 40, m);
		const result = await assign(await lead());
		expect(result).toMatchObject({ siteId: site.lyon, assignedTo: people.thomas, siteRule: 'form_site', personRule: 'fastest_responder' });
		expect(result.detail).toEqual({ median_minutes: 10 });
	});

	it('round_robin: successive leads rotate between the sales people of the site', async () => {
		await rules([{ kind: 'round_robin' }]);
		const first = await assign(await lead({ form: site.marseille }));
		const second = await assign(await lead({ form: site.marseille }));
		const third = await assign(await lead({ form: site.marseille }));
		expect([first.assignedTo, second.assignedTo].sort()).toEqual([people.pauline, people.paul].sort());
		expect(third.assignedTo).toBe(first.assignedTo);
		expect(first).toMatchObject({ siteId: site.marseille, siteRule: 'form_site', personRule: 'round_robin' });
	});

	it("a site's own rules replace the organisation's for leads from its form", async () => {
		await rules([{ kind: 'round_robin' }, { kind: 'fallback', params: { site_id: site.marseille }, siteId: site.grenoble }]);
		expect(await assign(await lead({ form: site.grenoble }))).toMatchObject({ siteId: site.marseille, siteRule: 'fallback', personRule: 'fallback' });
		expect(await assign(await lead({ form: site.lyon }))).toMatchObject({ siteId: site.lyon, siteRule: 'form_site', personRule: 'round_robin' });
	});

	it("fallback: when nothing else applies, its site and a sales person there, else the site's manager", async () => {
		await rules([{ kind: 'vehicle_site' }, { kind: 'nearest_site' }, { kind: 'round_robin' }, { kind: 'fallback', params: { site_id: site.marseille } }]);
		const result = await assign(await lead({ form: null }));
		expect(result).toMatchObject({ siteId: site.marseille, siteRule: 'fallback', personRule: 'fallback' });
		expect([people.pauline, people.paul]).toContain(result.assignedTo);
		await rules([{ kind: 'fallback', params: { site_id: site.annecy } }]);
		expect(await assign(await lead({ form: null }))).toMatchObject({ siteId: site.annecy, assignedTo: people.agnes, personRule: 'fallback' });
	});

	it('with no rule the lead stays unassigned and nobody is notified', async () => {
		const before = (await q(`select count(*)::int as n from public.notifications where user_id = $1`, [people.gaelle])).rows[0].n;
		const id = await lead({ postcode: '69003' });
		expect(await assign(id)).toEqual({ siteId: null, assignedTo: null, siteRule: null, personRule: null, detail: {} });
		expect(await stored(id)).toMatchObject({ site_id: null, assigned_to: null });
		expect((await q(`select count(*)::int as n from public.notifications where user_id = $1`, [people.gaelle])).rows[0].n).toBe(before);
	});
});

describe('escalation', () => {
	it("notifies the site's managers once when a lead stays unanswered past the delay", async () => {
		await rules([{ kind: 'round_robin' }]);
		const late = await lead({ form: site.marseille });
		const recent = await lead({ form: site.marseille });
		await assign(late);
		await assign(recent);
		await q(`update public.leads set assigned_at = now() - interval '61 minutes' where id = $1`, [late]);
		await q(`update public.leads set assigned_at = now() - interval '30 minutes' where id = $1`, [recent]);
		const notes = () =>
			q(`select title, body, link from public.notifications where user_id = $1 and kind = 'lead_escalated'`, [people.olivier]).then((r) => r.rows);

		await asService(pool, escalateLeads);
		const first = await notes();
		expect(first).toEqual([expect.objectContaining({ title: 'Lead unanswered: Durand', link: `/crm/leads?lead=${late}` })]);
		expect(first[0].body).toMatch(/has not answered for 6\d min/);
		expect((await q(`select escalated_at from public.leads where id = $1`, [late])).rows[0].escalated_at).not.toBeNull();

		await asService(pool, escalateLeads);
		expect(await notes()).toHaveLength(1);
		expect((await q(`select escalated_at from public.leads where id = $1`, [recent])).rows[0].escalated_at).toBeNull();
	});
});
