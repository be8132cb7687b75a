/**
 * Leads bench (issue 9): lead assignment on a database of its own (the machine's Postgres,
 * migrated like the tests' private databases, dropped at the end).
 *
 * - Data: 100,000 customers with French postcodes, 10 dealership sites across France, 50 sales
 *   people (5 per site) and a manager per site, 200,000 past leads over 60 days, 90 % answered
 *   (each person's own response speed), 2,000 stock vehicles.
 * - For each rule chain, `--leads` new leads (default 500) are assigned one by one by
 *   `assignLead` as the service, each in its own transaction like the public form's: time per
 *   lead p50/p95/p99 (commit included) and the share of it spent waiting on the queries.
 *
 *   npm run bench -- leads [--leads 500] [--server postgres://postgres@127.0.0.1:5432/postgres] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { asService, closePools, getPool } from '../src/lib/server/db/pool';
import { assignLead } from '../src/lib/server/crm/assign';
import { POSTCODES_FILE } from '../src/lib/server/crm/postcodes';
import { privateDatabase } from './private-database';
import { summarise } from './stats';

const CUSTOMERS = 100_000;
const PAST_LEADS = 200_000;
const SALES_PER_SITE = 5;
const VEHICLES = 2_000;
const CITIES: [string, string, number, number][] = [
	['LYO', '69003', 45.7597, 4.8422],
	['GRE', '38000', 45.1885, 5.7245],
	['MRS', '13008', 43.2965, 5.3698],
	['PAR', '75015', 48.8566, 2.3522],
	['BOR', '33000', 44.8378, -0.5792],
	['TLS', '31000', 43.6047, 1.4442],
	['NAN', '44000', 47.2184, -1.5536],
	['LIL', '59000', 50.6292, 3.0573],
	['STR', '67000', 48.5734, 7.7521],
	['REN', '35000', 48.1173, -1.6778]
];

type Chain = { name: string; rules: { kind: string; params?: object }[]; lead: 'vehicle' | 'postcode' | 'form' | 'nothing' };

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			leads: { type: 'string', default: '500' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			keep: { type: 'boolean', default: false }
		}
	});
	const perChain = Number(values.leads);
	const db = await privateDatabase(values.server, `relais_bench_leads_${process.pid}`);
	const pool = getPool(db.url, 4);
	const orgId = randomUUID();
	const postcodes = Object.keys(JSON.parse(gunzipSync(readFileSync(POSTCODES_FILE)).toString('utf8')));

	console.log(`loading ${CUSTOMERS} customers, ${CITIES.length * SALES_PER_SITE} sales people, ${PAST_LEADS} past leads…`);
	const t = performance.now();
	const c = await pool.connect();
	await c.query('begin');
	// Bulk load without the triggers (change log, audit): they are not what is measured.
	await c.query('set local session_replication_role = replica');
	await c.query('select setseed(0.42)');
	await c.query(`insert into public.organisations (id, name, settings) values ($1, 'Relais Bench Leads', '{"lead_response_minutes": 60}')`, [orgId]);
	for (const [i, [code, postcode, lat, lon]] of CITIES.entries()) {
		await c.query(
			`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
			 values ($1, 'CON-' || $2, 'Concession ' || $2, 'dealership', 'Relais ' || $2 || ' SAS', lpad(($3::int + 12345678900000)::text, 14, '0'),
			         'FR12' || lpad($3::text, 9, '0'), '1 rue du Lead', $4, $2, $5, $6)`,
			[orgId, code, i + 1, postcode, lat, lon]
		);
	}
	const { rows: sites } = await c.query<{ id: string }>(`select id from public.sites where organisation_id = $1 order by code`, [orgId]);
	const siteIds = sites.map((s) => s.id);
	// People: 5 sales and 1 manager per site, profiles first (auth.users then profiles).
	await c.query(
		`with p as (
		   select gen_random_uuid() as id, s.id as site_id, k
		   from unnest($2::uuid[]) as s (id), generate_series(0, ${SALES_PER_SITE}) as k
		 ), u as (
		   insert into auth.users (id, aud, role, email, encrypted_password)
		   select id, 'authenticated', 'authenticated', id || '@bench.relais', '' from p returning id
		 ), pr as (
		   insert into public.profiles (id, organisation_id, full_name, email, locale)
		   select p.id, $1, 'Person ' || p.id, p.id || '@bench.relais', case when p.k % 2 = 0 then 'fr' else 'en' end from p
		   join u on u.id = p.id returning id
		 )
		 insert into public.memberships (organisation_id, user_id, site_id, role)
		 select $1, p.id, p.site_id, case when p.k = 0 then 'site_manager' else 'sales' end::public.app_role from p join pr on pr.id = p.id`,
		[orgId, siteIds]
	);
	await c.query(
		`insert into public.customers (organisation_id, last_name, email, postcode, first_site_id)
		 select $1, 'Client ' || n, 'client' || n || '@example.test', ($2::text[])[1 + floor(random() * array_length($2::text[], 1))::int],
		        ($3::uuid[])[1 + n % 10]
		 from generate_series(1, ${CUSTOMERS}) as n`,
		[orgId, postcodes, siteIds]
	);
	await c.query(
		`insert into public.vehicles (organisation_id, site_id, vin, plate, make, model, energy, status)
		 select $1, ($2::uuid[])[1 + n % 10], 'VF1' || lpad(n::text, 14, '0'), 'AA-' || lpad(n::text, 3, '0') || '-BB', 'Renault', 'Clio', 'petrol', 'in_stock'
		 from generate_series(1, ${VEHICLES}) as n`,
		[orgId, siteIds]
	);
	// Past leads: each sales person answers at their own pace (a factor 0.3-3 on a random
	// exponential delay), 10 % unanswered, most leads closed.
	await c.query(
		`with sales as (
		   select m.user_id, m.site_id, row_number() over (order by m.user_id) as k, 0.3 + random() * 2.7 as pace
		   from public.memberships m where m.organisation_id = $1 and m.role = 'sales'
		 ), g as (
		   select n, 1 + n % 50 as k, now() - random() * interval '60 days' as at, random() as r, random() as s from generate_series(1, ${PAST_LEADS}) as n
		 ), c as (select array_agg(id) as ids from public.customers where organisation_id = $1)
		 insert into public.leads (organisation_id, site_id, customer_id, source, form_site_id, assigned_to, assigned_at, first_response_at,
		                           stage, lost_reason, site_rule, person_rule, created_at)
		 select $1, sales.site_id, c.ids[1 + g.n % ${CUSTOMERS}], 'web_form', sales.site_id, sales.user_id, g.at,
		        case when g.r < 0.9 then g.at + (-ln(1 - g.s) * 30 * sales.pace) * interval '1 minute' end,
		        (case when g.r >= 0.9 then 'new' when g.s < 0.3 then 'lost' when g.s < 0.5 then 'delivered' when g.s < 0.8 then 'contacted' else 'quote' end)::public.lead_stage,
		        case when g.r < 0.9 and g.s < 0.3 then 'bench' end, 'form_site', 'round_robin', g.at
		 from g join sales on sales.k = g.k cross join c`,
		[orgId]
	);
	await c.query('commit');
	c.release();
	await pool.query('vacuum analyze public.leads, public.customers, public.memberships, public.vehicles, public.sites');
	const loadMs = Math.round(performance.now() - t);
	console.log(`loaded in ${loadMs} ms`);

	const chains: Chain[] = [
		{
			name: 'vehicle_site → fastest_responder',
			rules: [{ kind: 'vehicle_site' }, { kind: 'nearest_site', params: { max_km: 150 } }, { kind: 'fastest_responder' }, { kind: 'round_robin' }],
			lead: 'vehicle'
		},
		{
			name: 'nearest_site → fastest_responder',
			rules: [{ kind: 'vehicle_site' }, { kind: 'nearest_site', params: { max_km: 150 } }, { kind: 'fastest_responder' }, { kind: 'round_robin' }],
			lead: 'postcode'
		},
		{ name: 'form_site → round_robin', rules: [{ kind: 'vehicle_site' }, { kind: 'round_robin' }], lead: 'form' },
		{ name: 'fallback', rules: [{ kind: 'vehicle_site' }, { kind: 'fallback', params: { site_id: siteIds[0] } }], lead: 'nothing' }
	];
	const { rows: vehicles } = await pool.query<{ id: string }>(`select id from public.vehicles where organisation_id = $1`, [orgId]);
	const results: Record<string, { leads: number; p50_ms: number; p95_ms: number; p99_ms: number; query_share: number; assigned: number }> = {};
	for (const chain of chains) {
		await pool.query('delete from public.lead_rules where organisation_id = $1', [orgId]);
		for (const [position, rule] of chain.rules.entries()) {
			await pool.query(`insert into public.lead_rules (organisation_id, position, kind, params) values ($1, $2, $3, $4)`, [
				orgId,
				position,
				rule.kind,
				JSON.stringify(rule.params ?? {})
			]);
		}
		// The new leads are written first (as the public form would), then assigned one by one.
		const { rows: leads } = await pool.query<{ id: string }>(
			`insert into public.leads (organisation_id, customer_id, source, form_site_id, requested_vehicle_id)
			 select $1, (select id from public.customers where organisation_id = $1 offset floor(random() * ${CUSTOMERS})::int limit 1),
			        'web_form', case when $3 = 'nothing' then null else ($2::uuid[])[1 + n % 10] end,
			        case when $3 = 'vehicle' then ($4::uuid[])[1 + n % ${VEHICLES}] end
			 from generate_series(1, $5::int) as n returning id`,
			[orgId, siteIds, chain.lead, vehicles.map((v) => v.id), perChain]
		);
		if (chain.lead === 'form' || chain.lead === 'nothing') {
			await pool.query(`update public.customers set postcode = null where id in (select customer_id from public.leads where id = any($1::uuid[]))`, [
				leads.map((l) => l.id)
			]);
		}
		const times: number[] = [];
		let queryMs = 0;
		let assigned = 0;
		for (const { id } of leads) {
			const started = performance.now();
			const result = await asService(pool, async (sql) => {
				// Times every query of the assignment: the share of the time spent in the database.
				const query = sql.query.bind(sql) as (...a: unknown[]) => Promise<unknown>;
				(sql as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...a: unknown[]) => {
					const q0 = performance.now();
					try {
						return await query(...a);
					} finally {
						queryMs += performance.now() - q0;
					}
				};
				try {
					return await assignLead(sql, id);
				} finally {
					(sql as unknown as { query: unknown }).query = query;
				}
			});
			times.push(performance.now() - started);
			if (result.assignedTo) assigned += 1;
		}
		const total = times.reduce((a, b) => a + b, 0);
		const { p50_ms, p95_ms, p99_ms } = summarise(times);
		results[chain.name] = { leads: leads.length, p50_ms, p95_ms, p99_ms, query_share: Math.round((queryMs / total) * 100) / 100, assigned };
		console.log(
			`${chain.name.padEnd(36)} ${leads.length} leads  p50 ${p50_ms} ms  p95 ${p95_ms} ms  p99 ${p99_ms} ms  queries ${Math.round((queryMs / total) * 100)} %  (${assigned} assigned to a person)`
		);
	}

	await closePools();
	if (!values.keep) await db.drop();
	console.log(
		JSON.stringify({ customers: CUSTOMERS, sales_people: CITIES.length * SALES_PER_SITE, sites: CITIES.length, past_leads: PAST_LEADS, load_ms: loadMs, chains: results })
	);
}
