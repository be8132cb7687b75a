import { readFile } from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateDatabase } from './private-database';

/**
 * supabase/seed.sql: loads, loads again without changing anything, and gives the demo what the
 * README promises. It runs in a database of its own next to the shared test database: the
 * seed's hundreds of change notifications and rows must not leak into files running alongside.
 */

const ORG = 'd0000000-0000-4000-a000-000000000001';
const DEMO_LOGINS: Record<string, { name: string; roles: string[]; client?: string }> = {
	'admin@relais.demo': { name: 'Alice Martin', roles: ['admin@org'] },
	'directeur@relais.demo': { name: 'Bernard Rousseau', roles: ['director@org'] },
	'responsable@relais.demo': { name: 'Claire Dubois', roles: ['site_manager@HUB-LYS'] },
	'chef@relais.demo': { name: 'David Lefèvre', roles: ['team_lead@HUB-LYS'] },
	'operateur@relais.demo': { name: 'Emma Moreau', roles: ['operator@HUB-LYS'] },
	'csm@relais.demo': { name: 'François Petit', roles: ['csm@HUB-LYS', 'csm@HUB-MRS'] },
	'vendeur@relais.demo': { name: 'Gaëlle Bernard', roles: ['sales@CON-LYV'] },
	'chauffeur@relais.demo': { name: 'Hugo Girard', roles: ['driver@HUB-LYS'] },
	'client@relais.demo': { name: 'Inès Laurent', roles: [], client: 'Europa Location' },
	'client2@relais.demo': { name: 'Julien Mercier', roles: [], client: 'Rentix' }
};

let db: pg.Client;
let dropDatabase = async () => {};
const seedTimesMs: number[] = [];
let countsAfterFirstRun: Record<string, number>;
let countsAfterSecondRun: Record<string, number>;

async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

async function value<T>(sql: string, params: unknown[] = []): Promise<T> {
	const [row] = await rows(sql, params);
	return Object.values(row)[0] as T;
}

/** Row counts of every table the seed may touch, trigger-written logs included. */
async function tableCounts(): Promise<Record<string, number>> {
	const tables = await rows<{ name: string }>(
		`select format('%I.%I', table_schema, table_name) as name from information_schema.tables
		 where table_type = 'BASE TABLE' and table_schema in ('public', 'auth') order by 1`
	);
	const counts: Record<string, number> = {};
	for (const { name } of tables) counts[name] = Number(await value(`select count(*) from ${name}`));
	return counts;
}

/** Runs `fn` as the demo user with this email, under row-level security, then rolls back. */
async function asUser<T>(email: string, fn: () => Promise<T>): Promise<T> {
	const id = await value<string>('select id from auth.users where email = $1', [email]);
	await db.query('begin');
	try {
		await db.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
			JSON.stringify({ sub: id, role: 'authenticated', email })
		]);
		return await fn();
	} finally {
		await db.query('rollback');
	}
}

beforeAll(async () => {
	const database = await privateDatabase('seed');
	dropDatabase = database.drop;
	const url = database.url;

	db = new pg.Client({ connectionString: url });
	await db.connect();
	// the seed's days are Paris days, so are this test's
	await db.query(`set timezone = 'Europe/Paris'`);
	const seed = await readFile(path.join(process.cwd(), 'supabase', 'seed.sql'), 'utf8');
	for (let run = 0; run < 2; run++) {
		const started = performance.now();
		await db.query(seed);
		seedTimesMs.push(performance.now() - started);
		if (run === 0) countsAfterFirstRun = await tableCounts();
	}
	countsAfterSecondRun = await tableCounts();
	console.log(`seed.sql: first run ${seedTimesMs[0].toFixed(0)} ms, second run ${seedTimesMs[1].toFixed(0)} ms`);
});

afterAll(async () => {
	await db?.end();
	await dropDatabase();
});

describe('supabase/seed.sql', () => {
	it('loads in well under five seconds, and a second run changes nothing', () => {
		expect(seedTimesMs[0]).toBeLessThan(5000);
		expect(countsAfterFirstRun['public.vehicles']).toBeGreaterThan(0);
		expect(countsAfterFirstRun['public.change_log']).toBeGreaterThan(0);
		expect(countsAfterSecondRun).toEqual(countsAfterFirstRun);
	});

	it('has one organisation with two hubs and three dealerships, legal details filled in', async () => {
		expect(await rows(`select name, settings from public.organisations`)).toEqual([
			{ name: 'Groupe Relais Démo', settings: { sales_see_group_stock: true, payment_terms_days: 30, lead_response_minutes: 60 } }
		]);
		const sites = await rows<{ code: string; kind: string }>(
			`select code, kind from public.sites where organisation_id = $1 order by code`,
			[ORG]
		);
		expect(sites).toEqual([
			{ code: 'CON-GRE', kind: 'dealership' },
			{ code: 'CON-LYV', kind: 'dealership' },
			{ code: 'CON-MRP', kind: 'dealership' },
			{ code: 'HUB-LYS', kind: 'hub' },
			{ code: 'HUB-MRS', kind: 'hub' }
		]);
		// SIREN (first 9 digits of the SIRET) inside the VAT number, with its French key
		const badVat = await value<number>(
			`select count(*) from public.sites
			 where vat_number <> 'FR' || lpad(((12 + 3 * (left(siret, 9)::bigint % 97)) % 97)::text, 2, '0') || left(siret, 9)
			    or share_capital_cents = 0 or capacity = 0 or timezone <> 'Europe/Paris'`
		);
		expect(Number(badVat)).toBe(0);
		const teamless = await value<number>(
			`select count(*) from public.sites s where not exists (select 1 from public.teams t where t.site_id = s.id)`
		);
		expect(Number(teamless)).toBe(0);
	});

	it('has the ten documented demo logins, all with password relais-demo and the documented roles', async () => {
		const users = await rows<{ email: string; hash: string; full_name: string; identities: number; roles: string[]; clients: string[] }>(
			`select u.email, u.encrypted_password as hash, p.full_name,
			        (select count(*)::int from auth.identities i where i.user_id = u.id and i.provider = 'email') as identities,
			        array(select m.role || '@' || coalesce(s.code, 'org') from public.memberships m
			              left join public.sites s on s.id = m.site_id where m.user_id = u.id order by 1) as roles,
			        array(select ca.name from public.client_members cm join public.client_accounts ca on ca.id = cm.client_account_id
			              where cm.user_id = u.id) as clients
			 from auth.users u join public.profiles p on p.id = u.id
			 where u.email = any ($1) and u.email_confirmed_at is not null and p.organisation_id = $2`,
			[Object.keys(DEMO_LOGINS), ORG]
		);
		expect(users.map((u) => u.email).sort()).toEqual(Object.keys(DEMO_LOGINS).sort());
		for (const user of users) {
			const expected = DEMO_LOGINS[user.email];
			expect(await bcrypt.compare('relais-demo', user.hash), user.email).toBe(true);
			expect(user.full_name).toBe(expected.name);
			expect(user.identities).toBe(1);
			expect(user.roles).toEqual(expected.roles);
			expect(user.clients).toEqual(expected.client ? [expected.client] : []);
		}
		const chefTeam = await value<string>(
			`select s.code from public.profiles p join public.teams t on t.id = p.team_id join public.sites s on s.id = t.site_id
			 where p.email = 'chef@relais.demo'`
		);
		expect(chefTeam).toBe('HUB-LYS');
	});

	it('has 250 to 350 vehicles: client vehicles at the hubs and dealer stock at the dealerships', async () => {
		const [fleet] = await rows<{ total: number; hub_client: number; dealer_stock: number; misplaced: number }>(
			`select count(*)::int as total,
			        count(*) filter (where s.kind = 'hub' and v.client_account_id is not null)::int as hub_client,
			        count(*) filter (where s.kind = 'dealership' and v.client_account_id is null
			                           and v.status in ('in_stock', 'reserved', 'sold', 'in_transit')
			                           and v.purchase_price_cents > 0 and v.sale_price_cents > v.purchase_price_cents)::int as dealer_stock,
			        count(*) filter (where v.organisation_id <> s.organisation_id)::int as misplaced
			 from public.vehicles v join public.sites s on s.id = v.site_id where s.organisation_id = $1`,
			[ORG]
		);
		expect(fleet.total).toBeGreaterThanOrEqual(250);
		expect(fleet.total).toBeLessThanOrEqual(350);
		expect(fleet.hub_client + fleet.dealer_stock).toBe(fleet.total);
		expect(fleet.hub_client).toBeGreaterThanOrEqual(100);
		expect(fleet.misplaced).toBe(0);
		const statuses = await rows<{ status: string }>(
			`select distinct status::text from public.vehicles where organisation_id = $1 order by 1`,
			[ORG]
		);
		expect(statuses.map((s) => s.status)).toEqual(
			expect.arrayContaining(['expected', 'on_site', 'in_service', 'ready', 'delivered', 'in_stock', 'reserved', 'sold'])
		);
		// on site means arrived, and a bay holds a vehicle of its own site
		const incoherent = await value<number>(
			`select count(*) from public.vehicles v left join public.bays b on b.id = v.bay_id
			 where v.organisation_id = $1
			   and ((v.status in ('on_site', 'in_service', 'ready', 'delivered') and v.arrived_at is null)
			        or (v.status = 'expected' and v.arrived_at is not null)
			        or (b.id is not null and b.site_id <> v.site_id))`,
			[ORG]
		);
		expect(Number(incoherent)).toBe(0);
		expect(Number(await value(`select count(bay_id) from public.vehicles where organisation_id = $1`, [ORG]))).toBeGreaterThan(50);
	});

	it('lays out every hub with at least 40 bays in zones of all six kinds, as closed GeoJSON polygons', async () => {
		const hubs = await rows<{ code: string; bays: number; kinds: string[] }>(
			`select s.code, (select count(*)::int from public.bays b where b.site_id = s.id) as bays,
			        array(select distinct z.kind::text from public.yard_zones z where z.site_id = s.id order by 1) as kinds
			 from public.sites s where s.organisation_id = $1 and s.kind = 'hub' order by s.code`,
			[ORG]
		);
		expect(hubs).toHaveLength(2);
		for (const hub of hubs) {
			expect(hub.bays, hub.code).toBeGreaterThanOrEqual(40);
			expect(hub.kinds, hub.code).toEqual(['bodywork', 'parking', 'ready', 'reception', 'wash', 'workshop']);
		}
		const shapes = await rows<{ geometry: { type: string; coordinates: number[][][] }; lat: number; lon: number }>(
			`select g.geometry, s.latitude as lat, s.longitude as lon
			 from (select site_id, geometry from public.bays union all select site_id, geometry from public.yard_zones) g
			 join public.sites s on s.id = g.site_id where s.organisation_id = $1`,
			[ORG]
		);
		for (const { geometry, lat, lon } of shapes) {
			expect(geometry.type).toBe('Polygon');
			const ring = geometry.coordinates[0];
			expect(ring).toHaveLength(5);
			expect(ring[4]).toEqual(ring[0]);
			for (const [x, y] of ring) {
				// within ~100 m of the site
				expect(Math.abs(x - lon)).toBeLessThan(0.0015);
				expect(Math.abs(y - lat)).toBeLessThan(0.001);
			}
		}
	});

	it('plans priced tasks over at least ten days, coherent with their order and vehicle', async () => {
		const days = await value<number>(
			`select count(distinct t.planned_on) from public.tasks t join public.sites s on s.id = t.site_id where s.organisation_id = $1`,
			[ORG]
		);
		expect(Number(days)).toBeGreaterThanOrEqual(10);
		const [tasks] = await rows<{ total: number; unpriced: number; incoherent: number; unplanned: number; today: number }>(
			`select count(*)::int as total,
			        count(*) filter (where t.price_cents <= 0)::int as unpriced,
			        count(*) filter (where t.client_account_id <> o.client_account_id or t.client_account_id <> v.client_account_id
			                           or t.site_id <> o.site_id or v.site_id <> o.site_id or tm.site_id <> t.site_id
			                           or sv.site_id <> t.site_id
			                           or (t.planned_on > current_date and t.status not in ('planned', 'todo'))
			                           or (t.planned_on < current_date and t.status not in ('done', 'validated'))
			                           or (t.planned_on is null and t.status <> 'todo'))::int as incoherent,
			        count(*) filter (where t.planned_on is null)::int as unplanned,
			        count(*) filter (where t.planned_on = current_date)::int as today
			 from public.tasks t
			 join public.orders o on o.id = t.order_id
			 join public.vehicles v on v.id = t.vehicle_id
			 join public.teams tm on tm.id = t.team_id
			 join public.services sv on sv.id = t.service_id
			 join public.sites s on s.id = t.site_id
			 where s.organisation_id = $1`,
			[ORG]
		);
		expect(tasks.total).toBeGreaterThan(100);
		expect(tasks.unpriced).toBe(0);
		expect(tasks.incoherent).toBe(0);
		expect(tasks.unplanned).toBeGreaterThan(0);
		expect(tasks.today).toBeGreaterThan(0);
		const orders = await value<number>(
			`select count(*) from public.orders o join public.sites s on s.id = o.site_id
			 where s.organisation_id = $1 and exists (select 1 from public.tasks t where t.order_id = o.id)`,
			[ORG]
		);
		expect(Number(orders)).toBeGreaterThanOrEqual(35);
	});

	it('keeps transfers coherent: one open transfer per vehicle, steps denormalised like their transfer', async () => {
		const transfers = await rows<{ status: string; at_origin: boolean; at_destination: boolean; steps: number; mismatched: number }>(
			`select t.status::text, v.site_id = t.from_site_id as at_origin, v.site_id = t.to_site_id as at_destination,
			        (select count(*)::int from public.transfer_events e where e.transfer_id = t.id) as steps,
			        (select count(*)::int from public.transfer_events e where e.transfer_id = t.id
			          and (e.from_site_id <> t.from_site_id or e.to_site_id is distinct from t.to_site_id
			               or e.client_account_id is distinct from t.client_account_id or e.driver_id is distinct from t.driver_id)) as mismatched
			 from public.transfers t join public.vehicles v on v.id = t.vehicle_id where t.organisation_id = $1`,
			[ORG]
		);
		expect(new Set(transfers.map((t) => t.status))).toEqual(
			new Set(['requested', 'approved', 'driver_assigned', 'in_transit', 'received'])
		);
		for (const t of transfers) {
			expect(t.steps).toBeGreaterThan(0);
			expect(t.mismatched).toBe(0);
			if (t.status === 'received') expect(t.at_destination).toBe(true);
			else expect(t.at_origin).toBe(true);
		}
	});

	it('has ticket threads with client messages, staff replies and at least one internal note', async () => {
		const [messages] = await rows<{ internal: number; public: number; mismatched: number }>(
			`select count(*) filter (where m.internal)::int as internal, count(*) filter (where not m.internal)::int as public,
			        count(*) filter (where m.site_id <> th.site_id or m.client_account_id is distinct from th.client_account_id)::int as mismatched
			 from public.ticket_messages m join public.ticket_threads th on th.id = m.thread_id
			 join public.sites s on s.id = th.site_id where s.organisation_id = $1`,
			[ORG]
		);
		expect(messages.internal).toBeGreaterThanOrEqual(1);
		expect(messages.public).toBeGreaterThanOrEqual(2);
		expect(messages.mismatched).toBe(0);
	});

	it('shows each demo user what their role allows', async () => {
		// the client sees Europa Location vehicles only, and none of the internal notes
		const client = await asUser('client@relais.demo', async () => ({
			accounts: await rows(`select distinct ca.name from public.vehicles v join public.client_accounts ca on ca.id = v.client_account_id`),
			orders: Number(await value(`select count(*) from public.orders`)),
			internal: Number(await value(`select count(*) from public.ticket_messages where internal`)),
			messages: Number(await value(`select count(*) from public.ticket_messages`)),
			notifications: Number(await value(`select count(*) from public.notifications`))
		}));
		expect(client.accounts).toEqual([{ name: 'Europa Location' }]);
		expect(client.orders).toBeGreaterThan(0);
		expect(client.internal).toBe(0);
		expect(client.messages).toBeGreaterThan(0);
		expect(client.notifications).toBeGreaterThan(0);

		// the salesperson of Lyon Vaise sees the group stock of all three dealerships
		const sales = await asUser('vendeur@relais.demo', () =>
			rows(`select distinct s.code from public.vehicles v join public.sites s on s.id = v.site_id
			      where v.client_account_id is null order by 1`)
		);
		expect(sales).toEqual([{ code: 'CON-GRE' }, { code: 'CON-LYV' }, { code: 'CON-MRP' }]);

		// the driver sees the transfers assigned to him, the operator the tasks of his hub
		expect(Number(await asUser('chauffeur@relais.demo', () => value(`select count(*) from public.transfers`)))).toBeGreaterThan(0);
		const operator = await asUser('operateur@relais.demo', () =>
			rows(`select distinct s.code from public.tasks t join public.sites s on s.id = t.site_id`)
		);
		expect(operator).toEqual([{ code: 'HUB-LYS' }]);
	});
});
