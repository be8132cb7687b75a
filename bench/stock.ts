/**
 * Stock bench (issue 5): 100,000 dealer vehicles over 20 sites, on a database of its own (the
 * machine's Postgres, migrated like the tests' private databases, dropped at the end).
 *
 * - The stock list (`listStock`, the page's one query, with its count) run as real users under
 *   RLS, `--runs` times after a warm-up, p50/p95 per filter set: a director (all 20 sites), a
 *   salesperson of one site, and the same salesperson with the organisation's group stock on
 *   (all 20 sites through the "sales read group stock" policy).
 * - Import throughput: a 10,000-row CSV (French format) imported by the site's manager through
 *   `startStockImport` (parse, check, batches under RLS, every trigger on), then the same file
 *   again (every row unchanged).
 * - The convoy calculator: `routeBetweenCommunes` between 1,000 random pairs of communes (after
 *   the network's one-time load), p50/p95 per query.
 *
 *   npm run bench -- stock [--runs 30] [--server postgres://postgres@127.0.0.1:5432/postgres] [--keep]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { closePools, getPool, withUser, type JwtClaims } from '../src/lib/server/db/pool';
import { network } from '../src/lib/server/convoy/network';
import { routeBetweenCommunes } from '../src/lib/server/convoy/service';
import { startStockImport } from '../src/lib/server/stock/import-stock';
import { listStock, type StockFilters } from '../src/lib/server/stock/list-stock';
import { privateDatabase } from './private-database';
import { summarise } from './stats';

const SITES = 20;
const VEHICLES = 100_000;
const IMPORT_ROWS = 10_000;
const WARMUP = 3;

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			runs: { type: 'string', default: '30' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			keep: { type: 'boolean', default: false }
		}
	});
	const runs = Number(values.runs);
	const db = await privateDatabase(values.server, `relais_bench_stock_${process.pid}`);
	const pool = getPool(db.url, 12);
	const orgId = randomUUID();
	const people = { director: randomUUID(), sales: randomUUID(), manager: randomUUID() };
	const claims = (id: string): JwtClaims => ({ sub: id, role: 'authenticated' });

	console.log(`loading ${VEHICLES} vehicles over ${SITES} sites…`);
	let t = performance.now();
	const c = await pool.connect();
	await c.query('begin');
	await c.query('set local session_replication_role = replica');
	await c.query('select setseed(0.42)');
	await c.query(`insert into public.organisations (id, name) values ($1, 'Relais Bench Stock')`, [orgId]);
	await c.query(
		`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 select $1, 'C' || lpad(s::text, 2, '0'), 'Concession ' || s, 'dealership', 'Relais C' || s || ' SAS', lpad((12345678900000 + s)::text, 14, '0'),
		        'FR12' || lpad(s::text, 9, '0'), s || ' rue du Stock', '69000', 'Lyon', 45.7, 4.8
		 from generate_series(1, ${SITES}) as s`,
		[orgId]
	);
	const { rows: sites } = await c.query<{ id: string }>(`select id from public.sites where organisation_id = $1 order by code`, [orgId]);
	const site1 = sites[0].id;
	for (const [role, id] of Object.entries(people)) {
		await c.query(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, `${role}@bench.relais`]);
		await c.query(`insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)`, [id, orgId, role, `${role}@bench.relais`]);
		await c.query(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)`, [
			orgId,
			id,
			role === 'director' ? null : site1,
			role === 'manager' ? 'site_manager' : role
		]);
	}
	await c.query(
		`insert into public.vehicles (organisation_id, site_id, vin, plate, make, model, energy, mileage_km, colour, status,
		                              purchase_price_cents, sale_price_cents, stocked_on)
		 select $1, ($2::uuid[])[1 + n % ${SITES}], 'VF1' || lpad(n::text, 14, '0'), null,
		        (array['Renault', 'Peugeot', 'Dacia', 'Citroën', 'Volkswagen', 'Toyota', 'Tesla', 'Fiat'])[1 + (r1 * 8)::int % 8],
		        (array['Clio', 'Captur', '208', '3008', 'Sandero', 'C3', 'Golf', 'Yaris', 'Model 3', '500'])[1 + (r2 * 10)::int % 10],
		        (enum_range(null::public.energy))[1 + (r3 * 6)::int % 6], (r1 * 150000)::int, 'Gris',
		        (array['in_stock', 'in_stock', 'in_stock', 'reserved', 'sold', 'in_transit'])[1 + (r4 * 6)::int % 6]::public.vehicle_status,
		        (8000 + r2 * 30000)::int * 100, (10000 + r2 * 30000 + r3 * 4000)::int * 100, current_date - (r4 * 365)::int
		 from (select n, random() as r1, random() as r2, random() as r3, random() as r4 from generate_series(1, ${VEHICLES}) as n) g`,
		[orgId, sites.map((s) => s.id)]
	);
	await c.query('commit');
	await c.query('analyze public.vehicles');
	c.release();
	const loadMs = Math.round(performance.now() - t);
	console.log(`loaded in ${loadMs} ms`);

	const filterSets: Record<string, StockFilters> = {
		'all, oldest first': {},
		'make Renault, by price': { make: 'Renault', sort: 'price', direction: 'asc' },
		'electric 20-30 k€, by margin': { energy: 'electric', minPriceCents: 2_000_000, maxPriceCents: 3_000_000, sort: 'margin' },
		'in stock over 90 days': { status: 'in_stock', minDays: 90 },
		'model prefix "Ca", page 5': { model: 'Ca', offset: 200 },
		'one site, in stock, by mileage': { siteId: site1, status: 'in_stock', sort: 'mileage', direction: 'asc' }
	};
	const setting = (on: boolean) =>
		pool.query(`update public.organisations set settings = jsonb_build_object('sales_see_group_stock', $2::boolean) where id = $1`, [orgId, on]);
	const viewers: { name: string; id: string; group: boolean }[] = [
		{ name: 'director (20 sites)', id: people.director, group: false },
		{ name: 'sales (own site)', id: people.sales, group: false },
		{ name: 'sales (group stock on, 20 sites)', id: people.sales, group: true }
	];
	const list: Record<string, Record<string, { rows: number; p50_ms: number; p95_ms: number }>> = {};
	for (const viewer of viewers) {
		await setting(viewer.group);
		list[viewer.name] = {};
		for (const [label, filters] of Object.entries(filterSets)) {
			const samples: number[] = [];
			let total = 0;
			for (let i = 0; i < WARMUP + runs; i++) {
				t = performance.now();
				const page = await withUser(pool, claims(viewer.id), (sql) => listStock(sql, filters));
				if (i >= WARMUP) samples.push(performance.now() - t);
				total = page.total;
			}
			const { p50_ms, p95_ms } = summarise(samples);
			list[viewer.name][label] = { rows: total, p50_ms, p95_ms };
			console.log(`${viewer.name.padEnd(34)} ${label.padEnd(32)} ${String(total).padStart(6)} rows  p50 ${p50_ms} ms  p95 ${p95_ms} ms`);
		}
	}

	const header = 'vin;marque;modele;energie;kilometrage;couleur;prix_achat;prix_vente;date_entree';
	const lines = Array.from(
		{ length: IMPORT_ROWS },
		(_, i) => `VF3KMP${String(i).padStart(11, '0')};Peugeot;${['208', '308', '2008', '3008'][i % 4]};essence;${i * 7};Bleu;${9_000 + i},00;${12_000 + i},00;01/11/2026`
	);
	const file = [header, ...lines].join('\n');
	const importOnce = async () => {
		t = performance.now();
		const started = await startStockImport(pool, claims(people.manager), { siteId: site1, fileName: 'bench.csv', text: file });
		if (!started.ok) throw new Error(`import refused: ${started.error}`);
		const summary = await started.finished;
		const ms = performance.now() - t;
		return { ...summary, ms: Math.round(ms), rows_per_s: Math.round(IMPORT_ROWS / (ms / 1000)) };
	};
	const first = await importOnce();
	console.log(`import ${IMPORT_ROWS} rows: ${first.ms} ms, ${first.rows_per_s} rows/s (${first.created} created, ${first.errors} errors)`);
	const again = await importOnce();
	console.log(`same file again: ${again.ms} ms, ${again.rows_per_s} rows/s (${again.created} created, ${again.unchanged} unchanged)`);

	const loadStarted = performance.now();
	const communes = network().communes;
	const networkLoadMs = Math.round(performance.now() - loadStarted);
	const routeTimes: number[] = [];
	let unreachable = 0;
	for (let i = 0; i < 1000; i++) {
		const from = communes[Math.floor(Math.random() * communes.length)].insee;
		const to = communes[Math.floor(Math.random() * communes.length)].insee;
		const started = performance.now();
		if (!routeBetweenCommunes(from, to)) unreachable += 1;
		routeTimes.push(performance.now() - started);
	}
	const { p50_ms, p95_ms, p99_ms } = summarise(routeTimes);
	const convoy = { pairs: 1000, unreachable, network_load_ms: networkLoadMs, p50_ms, p95_ms, p99_ms };
	console.log(`convoy calculator: network loaded in ${networkLoadMs} ms; 1000 random pairs p50 ${p50_ms} ms, p95 ${p95_ms} ms (${unreachable} without a land link)`);

	await closePools();
	if (!values.keep) await db.drop();
	console.log(
		JSON.stringify({
			vehicles: VEHICLES,
			sites: SITES,
			runs,
			load_ms: loadMs,
			list,
			import: {
				first: { rows: IMPORT_ROWS, ms: first.ms, rows_per_s: first.rows_per_s, created: first.created },
				again: { rows: IMPORT_ROWS, ms: again.ms, rows_per_s: again.rows_per_s, created: again.created, unchanged: again.unchanged }
			},
			convoy
		})
	);
}
