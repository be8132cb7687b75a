import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type Sql } from '../../../src/lib/server/db/pool';
import { loadSessionUser } from '../../../src/lib/server/auth/session-user';
import { grantRole, siteDetail } from '../../../src/lib/server/sites/admin';
import { CLONE_PARTS, cloneSite, siteCounts, type CloneInput, type ClonePart } from '../../../src/lib/server/sites/clone';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * public.clone_site: a new site opened from the configuration of `dealer` (CON-A), which holds
 * a bit of everything below, operational rows included, so that "nothing else" is checked
 * against rows that exist.
 */
let world: World;
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
let codeCounter = 0;

// Grenoble instead of Lyon: the yard moves with the site.
const input = (parts: readonly ClonePart[], overrides: Partial<CloneInput> = {}): CloneInput => ({
	sourceSiteId: world.sites.dealer,
	code: `NEW-${process.pid % 1000}${++codeCounter}`,
	name: `Nouveau site ${codeCounter}`,
	kind: 'dealership',
	legalName: 'Nouveau Site SAS',
	siret: '81237458500014',
	vatNumber: 'FR28812374585',
	shareCapitalEur: 50_000,
	addressLine: '1 avenue Alsace-Lorraine',
	postcode: '38000',
	city: 'Grenoble',
	latitude: 45.19,
	longitude: 5.72,
	timezone: 'Europe/Paris',
	capacity: 40,
	parts: [...parts],
	...overrides
});

async function clone(who: Persona, parts: readonly ClonePart[], overrides: Partial<CloneInput> = {}) {
	return as(who, (sql) => cloneSite(sql, input(parts, overrides), 'en'));
}

/** Every row the new site holds, read with the superuser: configuration and operations. */
async function holdings(siteId: string) {
	const { rows } = await q(
		`select
		   (select count(*) from public.teams where site_id = $1)::int as teams,
		   (select count(*) from public.yard_zones where site_id = $1)::int as zones,
		   (select count(*) from public.bays where site_id = $1)::int as bays,
		   (select count(*) from public.services where site_id = $1)::int as services,
		   (select count(*) from public.prices where site_id = $1)::int as prices,
		   (select count(*) from public.document_templates where site_id = $1)::int as templates,
		   (select count(*) from public.lead_rules where site_id = $1)::int as lead_rules,
		   (select count(*) from public.lead_forms where site_id = $1)::int as lead_forms,
		   (select count(*) from public.memberships where site_id = $1)::int as memberships,
		   (select count(*) from public.vehicles where site_id = $1)::int as vehicles,
		   (select count(*) from public.orders where site_id = $1)::int as orders,
		   (select count(*) from public.tasks where site_id = $1)::int as tasks,
		   (select count(*) from public.leads where site_id = $1 or form_site_id = $1)::int as leads,
		   (select count(*) from public.customers where first_site_id = $1)::int as customers,
		   (select settings from public.sites where id = $1) as settings`,
		[siteId]
	);
	return rows[0];
}

const nothingOperational = { memberships: 0, vehicles: 0, orders: 0, tasks: 0, leads: 0, customers: 0 };

afterAll(() => closePools());

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	const { dealer, hub } = world.sites;
	await q(`update public.sites set latitude = 45.7, longitude = 4.8, settings = $2 where id = $1`, [
		dealer,
		{ notifications: { lead_escalation: 'site_manager' }, yard_background_url: 'https://example.test/con-a.png' }
	]);
	await q(
		`insert into public.teams (site_id, name, colour, daily_capacity_minutes, zone_kinds)
		 values ($1, 'Atelier', '#6366f1', 960, '{workshop}'), ($1, 'Préparation', '#22c55e', 480, null)`,
		[dealer]
	);
	// A zone 20 m × 10 m north-east of the site position, two bays in it; a second zone, one bay.
	const square = (lat: number, lon: number) => ({
		type: 'Polygon',
		coordinates: [[[lon, lat], [lon + 0.0002, lat], [lon + 0.0002, lat + 0.0001], [lon, lat + 0.0001], [lon, lat]]]
	});
	const zones = await q(
		`insert into public.yard_zones (site_id, code, name, kind, geometry)
		 values ($1, 'REC', 'Réception', 'reception', $2), ($1, 'PAR', 'Parc', 'parking', $3) returning id, code`,
		[dealer, square(45.7001, 4.8001), square(45.7005, 4.8005)]
	);
	const zone = Object.fromEntries(zones.rows.map((r) => [r.code, r.id]));
	await q(
		`insert into public.bays (site_id, zone_id, number, geometry, rank)
		 values ($1, $2, 'A01', $4, 1), ($1, $2, 'A02', $5, 2), ($1, $3, 'D01', $6, 3)`,
		[dealer, zone.REC, zone.PAR, square(45.7001, 4.8001), square(45.7001, 4.8002), square(45.7005, 4.8005)]
	);
	const services = await q(
		`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp)
		 values ($1, 'PDI', 'Préparation', 'PDI', 'workshop', 60, 2000), ($1, 'WASH', 'Lavage', 'Wash', 'wash', 30, 1000)
		 returning id, code`,
		[dealer]
	);
	const service = Object.fromEntries(services.rows.map((r) => [r.code, r.id]));
	// In force today: two list prices and one client price; not copied: an expired and a future one.
	await q(
		`insert into public.prices (site_id, service_id, client_account_id, unit_price_cents, valid_from, valid_to) values
		   ($1, $2, null, 9000, current_date - 30, null),
		   ($1, $3, null, 4000, current_date - 30, current_date + 30),
		   ($1, $2, $4, 8000, current_date - 10, null),
		   ($1, $2, null, 8500, current_date - 400, current_date - 31),
		   ($1, $2, null, 9500, current_date + 10, null)`,
		[dealer, service.PDI, service.WASH, world.clients.acme]
	);
	await q(`insert into public.document_templates (site_id, kind, locale, texts) values ($1, 'invoice', 'fr', '{"footer": "Pied CON-A"}')`, [dealer]);
	await q(
		`insert into public.lead_rules (organisation_id, site_id, position, kind, params) values
		   ($1, $2, 1, 'nearest_site', '{"max_km": 80}'), ($1, $2, 2, 'fallback', $3),
		   ($1, null, 1, 'round_robin', '{}')`,
		[world.orgId, dealer, { site_id: dealer }]
	);
	await q(`insert into public.lead_forms (organisation_id, site_id, title) values ($1, $2, 'Contact CON-A')`, [world.orgId, dealer]);
	// Operations at the source: none of it may follow.
	await q(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status) values ($1, $2, $3, 'Renault', 'Clio', 'petrol', 'in_stock')`,
		[world.orgId, dealer, testVin()]
	);
	const customer = await q(`insert into public.customers (organisation_id, last_name, email, first_site_id) values ($1, 'Martin', 'martin@example.test', $2) returning id`, [
		world.orgId,
		dealer
	]);
	await q(`insert into public.leads (organisation_id, site_id, customer_id, source, form_site_id) values ($1, $2, $3, 'web_form', $2)`, [
		world.orgId,
		dealer,
		customer.rows[0].id
	]);
	await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'CMD-CLONE-1', current_date)`, [
		hub,
		world.clients.acme
	]);
});

describe('what a clone copies', () => {
	it('copies every part chosen, and nothing operational', async () => {
		const result = await clone('director', CLONE_PARTS);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		const held = await holdings(result.siteId);
		expect(held).toMatchObject({
			teams: 2,
			zones: 2,
			bays: 3,
			services: 2,
			prices: 3,
			templates: 1,
			lead_rules: 2,
			lead_forms: 1,
			...nothingOperational
		});
		// The site's own settings, not the picture of the source's ground.
		expect(held.settings).toEqual({ notifications: { lead_escalation: 'site_manager' } });

		const { rows: teams } = await q(`select name, daily_capacity_minutes, zone_kinds from public.teams where site_id = $1 order by name`, [result.siteId]);
		expect(teams).toEqual([
			{ name: 'Atelier', daily_capacity_minutes: 960, zone_kinds: '{workshop}' },
			{ name: 'Préparation', daily_capacity_minutes: 480, zone_kinds: null }
		]);
		const { rows: prices } = await q(
			`select sv.code, p.client_account_id, p.unit_price_cents, p.valid_from = current_date as from_today
			 from public.prices p join public.services sv on sv.id = p.service_id where p.site_id = $1 order by sv.code, p.unit_price_cents`,
			[result.siteId]
		);
		expect(prices).toEqual([
			{ code: 'PDI', client_account_id: world.clients.acme, unit_price_cents: 8000, from_today: true },
			{ code: 'PDI', client_account_id: null, unit_price_cents: 9000, from_today: true },
			{ code: 'WASH', client_account_id: null, unit_price_cents: 4000, from_today: true }
		]);
		// Bays sit in the copied zones, at the same distance from the new site as before.
		const { rows: bays } = await q(
			`select b.number, z.code as zone, b.geometry -> 'coordinates' -> 0 -> 0 as corner
			 from public.bays b join public.yard_zones z on z.id = b.zone_id where b.site_id = $1 order by b.number`,
			[result.siteId]
		);
		expect(bays.map((b) => [b.number, b.zone])).toEqual([
			['A01', 'REC'],
			['A02', 'REC'],
			['D01', 'PAR']
		]);
		expect(bays[0].corner[1]).toBeCloseTo(45.1901, 6);
		expect(bays[0].corner[0]).toBeCloseTo(5.72 + (0.0001 * Math.cos((45.7 * Math.PI) / 180)) / Math.cos((45.19 * Math.PI) / 180), 6);
		// The site's own rules; a fallback to the source now falls back to the new site; a form of its own.
		const { rows: rules } = await q(`select kind, params from public.lead_rules where site_id = $1 order by position`, [result.siteId]);
		expect(rules).toEqual([
			{ kind: 'nearest_site', params: { max_km: 80 } },
			{ kind: 'fallback', params: { site_id: result.siteId } }
		]);
		const { rows: forms } = await q(`select public_key from public.lead_forms where site_id in ($1, $2)`, [result.siteId, world.sites.dealer]);
		expect(new Set(forms.map((f) => f.public_key)).size).toBe(2);
	});

	it('copies only the parts ticked: each part left out leaves zero rows', async () => {
		const result = await clone('admin', ['teams', 'templates']);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		expect(await holdings(result.siteId)).toMatchObject({
			teams: 2,
			templates: 1,
			zones: 0,
			bays: 0,
			services: 0,
			prices: 0,
			lead_rules: 0,
			lead_forms: 0,
			settings: {},
			...nothingOperational
		});
		const bare = await clone('admin', []);
		if (!bare.ok) throw new Error(JSON.stringify(bare.errors));
		expect(await holdings(bare.siteId)).toMatchObject({ teams: 0, templates: 0, zones: 0, services: 0, lead_rules: 0, settings: {}, ...nothingOperational });
	});

	it('records the clone in the audit trail, naming the source and the parts', async () => {
		const result = await clone('director', ['yard', 'catalogue']);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		const { rows } = await as('director', (sql) =>
			sql.query(`select op, actor_id, reason, new_row ->> 'cloned_from_code' as source from public.audit_log where table_name = 'sites' and row_id = $1`, [
				result.siteId
			])
		);
		expect(rows).toEqual([{ op: 'insert', actor_id: world.people.director.id, reason: 'Cloned from CON-A: catalogue, yard', source: 'CON-A' }]);
		// The prices copied carry the same reason.
		const { rows: prices } = await q(`select distinct reason from public.audit_log where table_name = 'prices' and site_id = $1`, [result.siteId]);
		expect(prices).toEqual([{ reason: 'Cloned from CON-A: catalogue, yard' }]);
	});
});

describe('one transaction, clear refusals', () => {
	it('a code already taken is a field error, and leaves no site and no copied row behind', async () => {
		const before = await q(`select count(*)::int as n from public.teams`);
		const result = await clone('director', CLONE_PARTS, { code: 'CON-A', name: 'Doublon' });
		expect(result).toEqual({ ok: false, status: 409, errors: { code: ['This code is already used by a site of the organisation.'] } });
		expect((await q(`select count(*)::int as n from public.sites where name = 'Doublon'`)).rows[0].n).toBe(0);
		expect((await q(`select count(*)::int as n from public.teams`)).rows[0].n).toBe(before.rows[0].n);
	});

	it('a SIRET or VAT number the database refuses comes back on its field, in the reader’s language', async () => {
		const badSiret = await as('director', (sql) => cloneSite(sql, input(['teams'], { siret: '1234' }), 'fr'));
		expect(badSiret).toEqual({ ok: false, status: 400, errors: { siret: ['Valeur refusée.'] } });
		const badVat = await as('director', (sql) => cloneSite(sql, input(['teams'], { vatNumber: 'DE123' }), 'en'));
		expect(badVat).toEqual({ ok: false, status: 400, errors: { vatNumber: ['Value refused.'] } });
	});

	it('is refused to a site manager, a sales person and an operator', async () => {
		for (const who of ['site_manager', 'sales', 'operator'] as const) {
			const result = await clone(who, CLONE_PARTS, { name: `Refus ${who}` });
			expect(result).toMatchObject({ ok: false, status: 403 });
		}
		expect((await q(`select count(*)::int as n from public.sites where name like 'Refus %'`)).rows[0].n).toBe(0);
	});

	it('refuses an unknown part, and an anonymous or outside caller', async () => {
		await expect(as('director', (sql) => sql.query(`select public.clone_site($1, 'ZZ-1', 'x', 'hub', 'x', '12345678900011', 'FR12123456789', 0, 'x', '69000', 'x', 45, 4, 'Europe/Paris', 0, '{vehicles}')`, [world.sites.dealer]))).rejects.toMatchObject({ code: '22023' });
		const outsider = await clone('admin_other_org', ['teams'], { name: 'Intrus' });
		expect(outsider).toMatchObject({ ok: false, status: 403 });
		const { rows } = await q(`select has_function_privilege('anon', 'public.clone_site(uuid, text, text, public.site_kind, text, text, text, bigint, text, text, text, double precision, double precision, text, integer, text[])', 'execute') as anon`);
		expect(rows[0].anon).toBe(false);
	});
});

describe('who sees the new site', () => {
	it('its configuration stays invisible to people of other sites until they are granted a role there', async () => {
		const result = await clone('director', CLONE_PARTS, { name: 'Site à ouvrir' });
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		const site = result.siteId;
		const seen = (who: Persona) => as(who, async (sql) => ({ counts: (await siteCounts(sql, [site])).get(site), switcher: (await loadSessionUser(sql))!.sites.some((s) => s.id === site) }));
		const none = { teams: 0, zones: 0, bays: 0, services: 0, prices: 0, templates: 0, leadRules: 0, leadForms: 0 };

		// The row and its legal details are the organisation's; what runs the site is not.
		for (const who of ['site_manager', 'sales', 'operator_other_site'] as const) {
			const { counts, switcher } = await seen(who);
			expect(counts, who).toMatchObject(none);
			expect(switcher, who).toBe(false);
		}
		// Directors and admins see it, in the switcher too, at once.
		expect(await seen('director')).toMatchObject({ counts: { teams: 2, bays: 3, services: 2, prices: 3, templates: 1, leadRules: 2, leadForms: 1 }, switcher: true });
		expect(await seen('admin')).toMatchObject({ switcher: true });
		expect(await as('admin_other_org', (sql) => siteCounts(sql, [site]))).toEqual(new Map());

		// An admin grants the hub's manager a role at the new site: it opens to them.
		const grant = { siteId: site, userId: world.people.site_manager.id, role: 'site_manager' as const };
		expect(await as('admin', (sql) => grantRole(sql, grant, 'en'))).toEqual({ ok: true });
		expect(await as('admin', (sql) => grantRole(sql, grant, 'en'))).toEqual({
			ok: false,
			status: 409,
			errors: { role: ['This person already holds this role at this site.'] }
		});
		// The site's page lists them, and names the clone that opened the site.
		const detail = await as('director', (sql) => siteDetail(sql, site));
		expect(detail?.access.filter((a) => !a.orgWide).map((a) => [a.userId, a.role])).toEqual([[world.people.site_manager.id, 'site_manager']]);
		expect(detail?.site.clonedFrom).toEqual({ code: 'CON-A', parts: [...CLONE_PARTS].sort() });
		expect(await seen('site_manager')).toMatchObject({ counts: { teams: 2, zones: 2, bays: 3, services: 2, prices: 3, templates: 1, leadRules: 2, leadForms: 1 }, switcher: true });
		expect(await seen('operator_other_site')).toMatchObject({ counts: none, switcher: false });
	});

	it('a site manager may not grant roles at a site that is not theirs', async () => {
		const result = await clone('director', ['teams'], { name: 'Site fermé' });
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		await expect(
			as('site_manager', (sql) =>
				sql.query(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'operator')`, [
					world.orgId,
					world.people.operator.id,
					result.siteId
				])
			)
		).rejects.toMatchObject({ code: '42501' });
	});
});
