/**
 * KPI bench (issue 7): 1,000,000 tasks and 100,000 vehicles over 20 sites, on a database of its
 * own (a throw-away database on the machine's Postgres, migrated like the tests' private
 * databases, dropped at the end). What the dashboards read is measured as real users under RLS:
 * a director (organisation-wide membership: all 20 sites, consolidated) and a site manager (one
 * site), for today, this week, this month, the last 90 days and the last 12 months.
 *
 * The aggregates are incrementally maintained (statement-level triggers with transition tables,
 * migration 20261203000300_kpi.sql), not materialised views. The data is bulk-loaded with
 * `session_replication_role = replica` (no trigger runs: neither the KPI ones nor change_log,
 * audit and notification ones), then `private.kpi_rebuild(null)` computes the aggregates.
 *
 * Reported:
 * - load time (per table) and `kpi_rebuild` time, aggregate row counts and sizes;
 * - for each viewer and period, `kpiSnapshot` run `--runs` times after a warm-up: p50/p95/max of
 *   each of its 6 statements (sites, vehicles, tasks, workload, revenue, states), of the whole
 *   snapshot, and of the request (withUser: begin, claims, snapshot, commit); target ≤ 100 ms;
 * - `kpiTrend` (weekly series, one statement) over 12 and 52 weeks, the same way;
 * - `kpiDrillDown` (raw rows under RLS) for today, this week and this month, with rows returned;
 * - write overhead on tasks: 1,000 status updates one statement (and transaction) each, and one
 *   bulk update of 10,000, with every trigger, with every trigger but the KPI ones, and with
 *   none (`session_replication_role = replica`); then mixed writes (inserts, re-planning,
 *   cancellations, deletes, vehicles becoming ready) with every trigger, and a check that the
 *   aggregates still equal a rebuild (PASS/FAIL);
 * - for every statement whose p95 is over target, its EXPLAIN (ANALYZE, BUFFERS) run as the
 *   same user (--explain: the plans of the director's 12 months as well).
 *
 *   npm run bench -- kpi [--scale 1] (0.1: 100,000 tasks, 10,000 vehicles) [--runs 30] [--layout chronological|scattered]
 *                        [--server postgres://postgres@127.0.0.1:5432/postgres] [--keep] [--explain]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { periodFor, type Period } from '../src/lib/domain/kpi/definitions';
import { addDays } from '../src/lib/domain/planning/calendar';
import { closePools, getPool, withUser, type JwtClaims, type Sql } from '../src/lib/server/db/pool';
import { kpiDrillDown, kpiSnapshot, type DrillDownKpi } from '../src/lib/server/kpi/queries';
import { kpiTrend } from '../src/lib/server/kpi/trends';
import { summarise } from './stats';
import { privateDatabase } from './private-database';

const TARGET_MS = 100;
const SITES = 20;
const TEAMS_PER_SITE = 5;
const ACCOUNTS = 40;
const TASKS_PER_ORDER = 40;
const WARMUP = 3;
const DRILL_RUNS = 10;
const STATEMENTS = ['sites', 'vehicles', 'tasks', 'workload', 'revenue', 'states'] as const;
type Statement = (typeof STATEMENTS)[number];
const PERIOD_KINDS = ['today', 'week', 'month', 'last_90_days', 'last_12_months'] as const;
type PeriodKind = (typeof PERIOD_KINDS)[number];
const DRILL_PERIODS: PeriodKind[] = ['today', 'week', 'month'];
const DRILL_KPIS: DrillDownKpi[] = ['vehicles_processed', 'tasks_done', 'overdue_invoices'];
const TREND_WEEKS = [12, 52];

interface Timing {
	p50_ms: number;
	p95_ms: number;
	max_ms: number;
}

interface Viewer {
	name: 'director' | 'site_manager';
	claims: JwtClaims;
	siteId: string | null;
	sites: number;
}

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			scale: { type: 'string', default: '1' },
			runs: { type: 'string', default: '30' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			keep: { type: 'boolean', default: false },
			explain: { type: 'boolean', default: false },
			layout: { type: 'string', default: 'chronological' }
		}
	});
	const layout = values.layout;
	if (layout !== 'chronological' && layout !== 'scattered') throw new RangeError('--layout is chronological or scattered');
	const scale = Number(values.scale);
	const runs = Number(values.runs);
	if (!(scale > 0) || !(runs >= 1)) throw new RangeError('--scale must be > 0 and --runs ≥ 1');
	const vehicleCount = Math.max(SITES * 10, Math.round(100_000 * scale));
	const taskCount = Math.max(SITES * 10, Math.round(1_000_000 * scale));
	const today = parisToday();
	const benchStarted = performance.now();

	let started = performance.now();
	const db = await privateDatabase(values.server, `relais_bench_kpi_${process.pid}`);
	console.log(`database ${db.name} on ${new URL(values.server).host}, migrated in ${ms(started)} ms`);
	try {
		const pool = getPool(db.url);
		const pgSetting = async (name: string) => (await pool.query<{ v: string }>(`select current_setting($1) as v`, [name])).rows[0].v;
		const settings = {
			server_version: await pgSetting('server_version'),
			shared_buffers: await pgSetting('shared_buffers'),
			work_mem: await pgSetting('work_mem'),
			jit: await pgSetting('jit')
		};

		// ── load ─────────────────────────────────────────────────────────────────────────────
		console.log(`loading ${taskCount} tasks, ${vehicleCount} vehicles over ${SITES} sites (today ${today}, Europe/Paris; ${layout} heap layout)…`);
		const fixture = await seed(db.url, { vehicles: vehicleCount, tasks: taskCount, today, layout });
		for (const [table, t] of Object.entries(fixture.loadMs)) console.log(`  ${table.padEnd(16)} ${t} ms`);
		started = performance.now();
		await pool.query('select private.kpi_rebuild(null)');
		const rebuildMs = ms(started);
		started = performance.now();
		await pool.query('vacuum analyze');
		const vacuumMs = ms(started);
		const counts = await rowCounts(pool);
		console.log(`loaded in ${fixture.totalMs} ms (one transaction, triggers off): ${describeCounts(counts)}`);
		console.log(`kpi_rebuild(null): ${rebuildMs} ms; vacuum analyze: ${vacuumMs} ms`);
		const aggregates = await aggregateSizes(pool);
		for (const [name, a] of Object.entries(aggregates)) console.log(`  ${name.padEnd(17)} ${String(a.rows).padStart(7)} rows, ${a.kb} kB with indexes`);
		console.log(`  postgres ${settings.server_version}, shared_buffers ${settings.shared_buffers}, work_mem ${settings.work_mem}, jit ${settings.jit}`);

		const viewers: Viewer[] = [
			{ name: 'director', claims: fixture.director, siteId: null, sites: SITES },
			{ name: 'site_manager', claims: fixture.siteManager, siteId: fixture.managedSite, sites: 1 }
		];
		const periods = periodsOf(today);

		// ── snapshots ────────────────────────────────────────────────────────────────────────
		console.log(`\nkpiSnapshot, ${runs} runs after ${WARMUP} warm-up runs each; p50/p95/max in ms (target p95 ≤ ${TARGET_MS} ms)`);
		const snapshot: Record<string, Record<string, Record<string, Timing>>> = {};
		const misses: Array<{ viewer: Viewer; kind: string; statement: string; p95: number; text: string; values: unknown[] }> = [];
		const lastCalls = new Map<string, Call[]>();
		for (const viewer of viewers) {
			snapshot[viewer.name] = {};
			for (const kind of PERIOD_KINDS) {
				const period = periods[kind];
				const laps: Record<Statement | 'snapshot' | 'request', number[]> = {
					sites: [],
					vehicles: [],
					tasks: [],
					workload: [],
					revenue: [],
					states: [],
					snapshot: [],
					request: []
				};
				for (let run = 0; run < WARMUP + runs; run++) {
					const calls: Call[] = [];
					const t0 = performance.now();
					let snapshotMs = 0;
					const result = await withUser(pool, viewer.claims, async (sql) => {
						const t = performance.now();
						const r = await kpiSnapshot(recording(sql, calls), period, viewer.siteId);
						snapshotMs = performance.now() - t;
						return r;
					});
					const requestMs = performance.now() - t0;
					if (result.sites.length !== viewer.sites || calls.length !== STATEMENTS.length) {
						throw new Error(`${viewer.name} read ${result.sites.length} sites with ${calls.length} statements, expected ${viewer.sites} and ${STATEMENTS.length}`);
					}
					if (run === 0 && kind === 'last_12_months') {
						const c = result.consolidated!;
						console.log(
							`  (${viewer.name}, 12 months: ${c.vehicles_processed} vehicles processed, ${c.immobilisation_hours?.toFixed(1)} h average, ` +
								`${c.tasks_planned} tasks planned, ${c.tasks_done} done, ${c.workload.length} teams, revenue ${euros(c.revenue_cents ?? 0)}, ` +
								`${c.open_transfers} open transfers, ${c.overdue_invoices?.count} overdue invoices, ${c.overdue_tickets} overdue tickets)`
						);
					}
					if (run < WARMUP) continue;
					calls.forEach((c, i) => laps[STATEMENTS[i]].push(c.ms));
					laps.snapshot.push(snapshotMs);
					laps.request.push(requestMs);
					lastCalls.set(`${viewer.name}/${kind}`, calls);
				}
				const row: Record<string, Timing> = {};
				for (const [label, samples] of Object.entries(laps)) row[label] = timing(samples);
				snapshot[viewer.name][kind] = row;
				const over = STATEMENTS.filter((s) => row[s].p95_ms > TARGET_MS);
				console.log(
					`${viewer.name.padEnd(12)} ${kind.padEnd(14)} ${period.start}…${period.end}  ` +
						STATEMENTS.map((s) => `${s} ${fmt(row[s])}`).join('  ') +
						`  | snapshot ${fmt(row.snapshot)}  request ${fmt(row.request)}` +
						(over.length ? `  OVER TARGET: ${over.join(', ')}` : '')
				);
				const calls = lastCalls.get(`${viewer.name}/${kind}`)!;
				for (const s of over) {
					const c = calls[STATEMENTS.indexOf(s)];
					misses.push({ viewer, kind, statement: s, p95: row[s].p95_ms, text: c.text, values: c.values });
				}
			}
		}

		// ── trends ───────────────────────────────────────────────────────────────────────────
		console.log(`\nkpiTrend (one statement), weeks ending with today's, ${runs} runs after ${WARMUP} warm-up runs each; p50/p95/max in ms`);
		const trend: Record<string, Record<string, Timing & { request: Timing }>> = {};
		for (const viewer of viewers) {
			trend[viewer.name] = {};
			for (const weeks of TREND_WEEKS) {
				const samples: number[] = [];
				const requests: number[] = [];
				let last: Call | undefined;
				for (let run = 0; run < WARMUP + runs; run++) {
					const calls: Call[] = [];
					const t = performance.now();
					const result = await withUser(pool, viewer.claims, (sql) => kpiTrend(recording(sql, calls), { weeks, end: today }, viewer.siteId));
					const requestMs = performance.now() - t;
					if (result.sites.length !== viewer.sites || result.weeks.length !== weeks || calls.length !== 1) {
						throw new Error(`${viewer.name}'s trend: ${result.sites.length} sites, ${result.weeks.length} weeks, ${calls.length} statements`);
					}
					if (run < WARMUP) continue;
					samples.push(calls[0].ms);
					requests.push(requestMs);
					last = calls[0];
				}
				const tm = timing(samples);
				trend[viewer.name][`${weeks}_weeks`] = { ...tm, request: timing(requests) };
				console.log(
					`${viewer.name.padEnd(12)} ${`${weeks} weeks`.padEnd(8)} statement ${fmt(tm)}  request ${fmt(timing(requests))}${tm.p95_ms > TARGET_MS ? '  OVER TARGET' : ''}`
				);
				if (tm.p95_ms > TARGET_MS) misses.push({ viewer, kind: `${weeks} weeks`, statement: 'trend', p95: tm.p95_ms, text: last!.text, values: last!.values });
			}
		}

		// ── drill-downs ──────────────────────────────────────────────────────────────────────
		console.log(`\nkpiDrillDown (raw rows under RLS, visible sites query included), ${DRILL_RUNS} runs after 1 warm-up; p50/p95/max in ms`);
		const drill: Record<string, Record<string, Record<string, Timing & { rows: number; rows_statement: Timing }>>> = {};
		const drillMisses: typeof misses = [];
		for (const viewer of viewers) {
			drill[viewer.name] = {};
			for (const kpi of DRILL_KPIS) {
				drill[viewer.name][kpi] = {};
				for (const kind of DRILL_PERIODS) {
					const samples: number[] = [];
					const statements: number[] = [];
					let rows = 0;
					let last: Call | undefined;
					for (let run = 0; run < 1 + DRILL_RUNS; run++) {
						const calls: Call[] = [];
						const t = performance.now();
						const result = await withUser(pool, viewer.claims, (sql) => kpiDrillDown(recording(sql, calls), kpi, periods[kind], viewer.siteId));
						if (run === 0) continue;
						samples.push(performance.now() - t);
						statements.push(calls[1].ms);
						rows = result.length;
						last = calls[1];
					}
					const tm = timing(samples);
					const rowsStatement = timing(statements);
					drill[viewer.name][kpi][kind] = { ...tm, rows, rows_statement: rowsStatement };
					console.log(
						`${viewer.name.padEnd(12)} ${kpi.padEnd(18)} ${kind.padEnd(6)} ${String(rows).padStart(7)} rows  request ${fmt(tm)}  rows statement ${fmt(rowsStatement)}` +
							(tm.p95_ms > TARGET_MS ? '  OVER TARGET' : '')
					);
					if (tm.p95_ms > TARGET_MS) drillMisses.push({ viewer, kind, statement: `drill-down ${kpi}`, p95: rowsStatement.p95_ms, text: last!.text, values: last!.values });
				}
			}
		}

		// ── write overhead ───────────────────────────────────────────────────────────────────
		await pool.query('checkpoint');
		console.log(`\nwrites on tasks (status → done), as the table owner, each variant on its own tasks (after a checkpoint):`);
		const writes = await writeOverhead(db.url, today);
		for (const [variant, w] of Object.entries(writes.variants)) {
			console.log(
				`  ${variant.padEnd(13)} ${writes.singles} single updates (one transaction each): ${w.single_total_ms} ms, ` +
					`${w.single_per_statement_ms} ms each (p95 ${w.single_p95_ms} ms); bulk update of ${writes.bulk}: ${w.bulk_ms} ms`
			);
		}
		const mixed = await mixedWrites(db.url, today);
		console.log(
			`  mixed writes with every trigger: ${mixed.inserted} tasks inserted ${mixed.insertMs} ms, ${mixed.replanned} re-planned ${mixed.replanMs} ms, ` +
				`${mixed.cancelled} cancelled ${mixed.cancelMs} ms, ${mixed.deleted} deleted ${mixed.deleteMs} ms, ${mixed.ready} vehicles ready ${mixed.readyMs} ms`
		);
		const check = await compareWithRebuild(db.url);
		console.log(
			`aggregates after the writes equal a rebuild: ${check.mismatches === 0 ? 'PASS' : 'FAIL'} ` +
				`(${check.mismatches} differing rows: vehicles ${check.byTable.vehicles}, tasks ${check.byTable.tasks}, invoices ${check.byTable.invoices}; ` +
				`${check.zeroRows} all-zero rows left by the triggers, ignored; rebuild ${check.rebuildMs} ms)`
		);

		// ── plans ────────────────────────────────────────────────────────────────────────────
		const toExplain = [...misses, ...drillMisses];
		if (values.explain) {
			const calls = lastCalls.get('director/last_12_months')!;
			for (const s of STATEMENTS) {
				if (!toExplain.some((m) => m.viewer.name === 'director' && m.kind === 'last_12_months' && m.statement === s)) {
					const c = calls[STATEMENTS.indexOf(s)];
					toExplain.push({ viewer: viewers[0], kind: 'last_12_months', statement: s, p95: snapshot.director.last_12_months[s].p95_ms, text: c.text, values: c.values });
				}
			}
		}
		// `set local jit = off` of the drill-down is a setting, not a plan.
		for (const m of toExplain.filter((t) => !/^\s*set\b/i.test(t.text))) {
			const plan = await withUser(pool, m.viewer.claims, (sql) => sql.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${m.text}`, m.values));
			console.log(`\nEXPLAIN (ANALYZE, BUFFERS) ${m.statement}, ${m.viewer.name}, ${m.kind} (statement p95 ${m.p95} ms):`);
			console.log(plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
		}

		const overTarget = [
			...misses.map((m) => `${m.statement === 'trend' ? 'trend' : 'snapshot'} ${m.viewer.name} ${m.kind} ${m.statement} p95 ${m.p95} ms`),
			...Object.entries(drill).flatMap(([v, kpis]) =>
				Object.entries(kpis).flatMap(([kpi, ps]) =>
					Object.entries(ps)
						.filter(([, t]) => t.p95_ms > TARGET_MS)
						.map(([kind, t]) => `drill-down ${v} ${kpi} ${kind} p95 ${t.p95_ms} ms (${t.rows} rows)`)
				)
			)
		];
		console.log(`\n${overTarget.length === 0 ? 'every KPI query within target' : `over target (p95 > ${TARGET_MS} ms):\n  ${overTarget.join('\n  ')}`}`);
		console.log(`bench ran ${Math.round(ms(benchStarted) / 1000)} s`);

		const result = {
			bench: 'kpi',
			scale,
			layout,
			today,
			target_p95_ms: TARGET_MS,
			maintenance: 'incremental: statement-level triggers with transition tables (migration 20261203000300_kpi.sql)',
			data: counts,
			load_ms: { ...fixture.loadMs, total: fixture.totalMs },
			rebuild_ms: rebuildMs,
			vacuum_analyze_ms: vacuumMs,
			aggregates,
			settings,
			runs,
			periods,
			snapshot,
			trend,
			drill_down: drill,
			writes: { ...writes, mixed, equals_rebuild: check.mismatches === 0, mismatches: check.mismatches, zero_rows: check.zeroRows, rebuild_after_ms: check.rebuildMs },
			over_target: overTarget
		};
		console.log(JSON.stringify(result));
	} finally {
		await closePools();
		if (values.keep) console.log(`kept ${db.url}`);
		else await db.drop();
	}
}

// ─── database ────────────────────────────────────────────────────────────────────────────────

async function withConnection<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		return await fn(c);
	} finally {
		await c.end();
	}
}

/**
 * One organisation, 20 sites (17 in Paris, one in Lisbon, Martinique and Réunion: local days
 * differ), 5 teams each with capacities, 6 services with prices, 40 client accounts, orders of
 * 40 tasks, then `vehicles` vehicles (arrivals over the last 12 months, ready 2 h to 3 weeks
 * later or not yet, some expected, some without arrival time) and `tasks` tasks (10 per vehicle,
 * planned around its arrival; validated, done, in progress, planned, todo and cancelled by how
 * far in the past), ~3,600 invoices over 12 months (paid, sent, overdue, credit notes, drafts),
 * 400 transfers with their steps and 600 ticket threads. People: a director, a site manager per
 * site, an admin and 10 operators per site. All of it in one transaction with
 * `session_replication_role = replica`: no trigger runs (the aggregates are rebuilt afterwards).
 */
async function seed(url: string, { vehicles, tasks, today, layout }: { vehicles: number; tasks: number; today: string; layout: 'chronological' | 'scattered' }) {
	// Rows are appended as they are created: tasks within days of their planned day, vehicles
	// when they arrive. `scattered` inserts them in vehicle order instead (every day's rows spread
	// over the whole heap): a worst case for range scans that read the rows themselves.
	const inOrder = (key: string) => (layout === 'chronological' ? `order by ${key}` : '');
	const orgId = randomUUID();
	const director = randomUUID();
	const managers = Array.from({ length: SITES }, () => randomUUID());
	const ordersPerSite = Math.max(1, Math.ceil(tasks / SITES / TASKS_PER_ORDER));
	const transfers = Math.min(400, Math.floor(vehicles / 5));
	const loadMs: Record<string, number> = {};
	const started = performance.now();
	const siteIds = await withConnection(url, async (c) => {
		const step = async (label: string, text: string, values: unknown[] = []) => {
			const t = performance.now();
			await c.query(text, values);
			loadMs[label] = (loadMs[label] ?? 0) + ms(t);
		};
		await c.query('begin');
		await c.query('set local session_replication_role = replica');
		await c.query('select setseed(0.42)');

		// ── organisation, sites, people ──────────────────────────────────────────────────────
		await step(
			'organisation',
			`insert into public.organisations (id, name, settings) values ($1, 'Relais Bench Group', '{"payment_terms_days": 30}')`,
			[orgId]
		);
		await step(
			'organisation',
			`create temp table bench_sites on commit drop as
			 select s, gen_random_uuid() as id, 'S' || lpad(s::text, 2, '0') as code,
			        case s when 18 then 'Europe/Lisbon' when 19 then 'America/Martinique' when 20 then 'Indian/Reunion' else 'Europe/Paris' end as tz
			 from generate_series(1, ${SITES}) as s`
		);
		await step(
			'organisation',
			`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city,
			                           latitude, longitude, capacity, timezone)
			 select id, $1, code, 'Site ' || code, (case when s <= 6 then 'hub' else 'dealership' end)::public.site_kind,
			        'Relais ' || code || ' SAS', lpad((12345678900000 + s)::text, 14, '0'), 'FR12' || lpad(s::text, 9, '0'),
			        s || ' avenue du Port', lpad((69000 + s)::text, 5, '0'), 'Lyon', 45.7 + s / 100.0, 4.8 + s / 100.0, 500 + 50 * s, tz
			 from bench_sites`,
			[orgId]
		);
		// auth users and profiles: director, one site manager per site, an admin, 10 operators per site.
		await step(
			'organisation',
			`create temp table bench_people on commit drop as
			 select $1::uuid as id, 'director' as role, null::int as s, 'director@bench.relais' as email
			 union all select m.id, 'site_manager', m.s::int, 'manager' || m.s || '@bench.relais' from unnest($2::uuid[]) with ordinality as m (id, s)
			 union all select gen_random_uuid(), 'admin', null, 'admin@bench.relais'
			 union all select gen_random_uuid(), 'operator', 1 + k % ${SITES}, 'operator' || k || '@bench.relais' from generate_series(1, ${10 * SITES}) as k`,
			[director, managers]
		);
		await step(
			'organisation',
			`insert into auth.users (id, aud, role, email, encrypted_password) select id, 'authenticated', 'authenticated', email, '' from bench_people;
			 insert into public.profiles (id, organisation_id, full_name, email) select id, '${orgId}', initcap(split_part(email, '@', 1)), email from bench_people;
			 insert into public.memberships (organisation_id, user_id, site_id, role)
			 select '${orgId}', p.id, s.id, p.role::public.app_role from bench_people p left join bench_sites s on s.s = p.s`
		);
		await step(
			'organisation',
			`create temp table bench_accounts on commit drop as select a, gen_random_uuid() as id from generate_series(1, ${ACCOUNTS}) as a;
			 insert into public.client_accounts (id, organisation_id, name, kind, billing_email, billing_address)
			 select id, '${orgId}', 'Client ' || lpad(a::text, 2, '0'), (array['rental', 'manufacturer', 'fleet'])[1 + a % 3],
			        'billing' || a || '@client.test', a || E' rue des Loueurs\\n75001 Paris' from bench_accounts`
		);
		await step(
			'organisation',
			`create temp table bench_teams on commit drop as
			 select s.s, k, gen_random_uuid() as id, s.id as site_id,
			        (array['Lavage', 'Atelier', 'Carrosserie', 'Préparation', 'Livraison'])[k] as name,
			        (array[1440, 1920, 960, 1440, 960])[k] + 480 * (s.s % 3) as capacity
			 from bench_sites s, generate_series(1, ${TEAMS_PER_SITE}) as k;
			 insert into public.teams (id, site_id, name, daily_capacity_minutes) select id, site_id, name, capacity from bench_teams;
			 create temp table bench_services on commit drop as
			 select s.s, c.k, gen_random_uuid() as id, s.id as site_id, c.code, c.fr, c.en, c.zone::public.zone_kind as zone, c.minutes, c.cents, c.vat
			 from bench_sites s, (values
			   (1, 'WASH_EXT', 'Lavage extérieur', 'Exterior wash', 'wash', 20, 1500, 2000),
			   (2, 'WASH_FULL', 'Lavage complet', 'Full valet', 'wash', 45, 4500, 2000),
			   (3, 'PREP', 'Préparation livraison', 'Delivery preparation', 'workshop', 60, 8900, 2000),
			   (4, 'BODY', 'Retouche carrosserie', 'Bodywork touch-up', 'bodywork', 90, 14500, 2000),
			   (5, 'PARK', 'Gardiennage (jour)', 'Storage (day)', 'parking', 5, 700, 1000),
			   (6, 'READY', 'Mise à disposition', 'Handover', 'ready', 15, 2500, 2000)
			 ) as c (k, code, fr, en, zone, minutes, cents, vat);
			 insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp)
			 select id, site_id, code, fr, en, zone, minutes, vat from bench_services;
			 insert into public.prices (site_id, service_id, unit_price_cents, valid_from)
			 select site_id, id, cents, date '${today}' - 400 from bench_services`
		);
		await step(
			'orders',
			`create temp table bench_orders on commit drop as
			 select s.s, q, gen_random_uuid() as id, s.id as site_id, (select id from bench_accounts where a = 1 + (s.s * 7 + q) % ${ACCOUNTS}) as client
			 from bench_sites s, generate_series(0, ${ordersPerSite - 1}) as q;
			 create unique index on bench_orders (s, q);
			 insert into public.orders (id, site_id, client_account_id, reference, deadline, status, created_at)
			 select id, site_id, client, 'CMD-' || s || '-' || lpad(q::text, 5, '0'),
			        date '${today}' - 365 + (q * 380) / ${ordersPerSite}, case when (q * 380) / ${ordersPerSite} < 350 then 'closed' else 'open' end,
			        now() - make_interval(days => 370 - (q * 380) / ${ordersPerSite})
			 from bench_orders`
		);

		// ── vehicles ─────────────────────────────────────────────────────────────────────────
		// 2 % expected (no arrival yet), 3 % ready without a recorded arrival, the rest arrived over
		// the last 365 days and ready after 2 h to 3 weeks (30 % < 24 h, 25 % 24–48 h, 15 % 48–72 h,
		// 20 % 3–7 days, 10 % longer), unless that is still ahead or they are stuck (3 %).
		await step(
			'vehicles',
			`create temp table bench_vehicles on commit drop as
			 select n, id, s, q, arrived_at,
			        case when r1 < 0.02 or r1 > 0.97 then null
			             when r1 < 0.05 then now() - make_interval(secs => r2 * 365 * 86400)
			             when ready_at > now() then null else ready_at end as ready_at
			 from (
			   select n, gen_random_uuid() as id, 1 + n % ${SITES} as s, (n / ${SITES}) % ${ordersPerSite} as q, r1, r2,
			          case when r1 < 0.05 then null else now() - make_interval(secs => r2 * 365 * 86400) end as arrived_at,
			          now() - make_interval(secs => r2 * 365 * 86400) + make_interval(secs => 3600 *
			            case when r3 < 0.30 then 2 + r4 * 22 when r3 < 0.55 then 24 + r4 * 24 when r3 < 0.70 then 48 + r4 * 24
			                 when r3 < 0.90 then 72 + r4 * 96 else 168 + r4 * 336 end) as ready_at
			   from (select n, random() as r1, random() as r2, random() as r3, random() as r4 from generate_series(1, ${vehicles}) as n) g
			 ) v;
			 create unique index on bench_vehicles (n);
			 analyze bench_vehicles`
		);
		await step(
			'vehicles',
			`insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, plate, make, model, energy, mileage_km, colour,
			                              status, arrived_at, ready_at, created_at, updated_at)
			 select v.id, '${orgId}', o.site_id, o.client, 'VF1' || lpad(v.n::text, 14, '0'), 'AB-' || lpad(v.n::text, 6, '0'),
			        (array['Renault', 'Peugeot', 'Citroën', 'Dacia', 'Toyota'])[1 + v.n % 5],
			        (array['Clio', '208', 'C3', 'Sandero', 'Yaris', 'Captur', '3008'])[1 + v.n % 7],
			        (array['petrol', 'diesel', 'hybrid', 'electric'])[1 + v.n % 4]::public.energy, 5 + v.n % 60000,
			        (array['blanc', 'gris', 'noir', 'bleu', 'rouge'])[1 + v.n % 5],
			        (case when v.arrived_at is null and v.ready_at is null then 'expected'
			              when v.ready_at is null then 'in_service'
			              when v.ready_at > now() - interval '3 days' then 'ready' else 'delivered' end)::public.vehicle_status,
			        v.arrived_at, v.ready_at, coalesce(v.arrived_at, v.ready_at, now()), coalesce(v.ready_at, v.arrived_at, now())
			 from bench_vehicles v join bench_orders o on o.s = v.s and o.q = v.q
			 ${inOrder('coalesce(v.arrived_at, v.ready_at, now())')}`
		);

		// ── tasks ────────────────────────────────────────────────────────────────────────────
		// 10 per vehicle, one service each, planned on the arrival day (local) or up to 3 days
		// later (expected vehicles: within the next 2 weeks); 3 % not planned yet (todo, no team),
		// 4 % cancelled, 8 % without a team. Past days: mostly done or validated, some late.
		await step(
			'tasks',
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, team_id, planned_on, planned_start_minutes,
			                           estimated_minutes, price_cents, status, started_at, completed_at, validated_at, created_at, updated_at)
			 select site_id, client, order_id, vehicle_id, service_id, case when status = 'todo' then null else team_id end, planned_on,
			        case when planned_on is not null and status <> 'todo' then start_minutes end, minutes, cents, status::public.task_status,
			        case when status in ('in_progress', 'done', 'validated') then local_start end,
			        case when status in ('done', 'validated') then local_start + make_interval(mins => minutes) end,
			        case when status = 'validated' then local_start + make_interval(mins => minutes) + interval '20 hours' end,
			        least(now(), coalesce(local_start, now()) - interval '2 days'),
			        least(now(), coalesce(local_start + make_interval(mins => minutes), now()))
			 from (
			   select x.*,
			          case when r1 < 0.03 then 'todo'
			               when r3 < 0.04 then 'cancelled'
			               when planned_on < date '${today}' - 40 then case when r4 < 0.60 then 'validated' when r4 < 0.97 then 'done' else 'planned' end
			               when planned_on < date '${today}' then
			                 case when r4 < 0.35 then 'validated' when r4 < 0.82 then 'done' when r4 < 0.90 then 'in_progress' else 'planned' end
			               when planned_on = date '${today}' then case when r4 < 0.40 then 'done' when r4 < 0.60 then 'in_progress' else 'planned' end
			               else case when r4 < 0.70 then 'planned' else 'todo' end end as status,
			          (planned_on + make_interval(mins => start_minutes))::timestamp at time zone tz as local_start
			   from (
			     select o.site_id, o.client, o.id as order_id, v.id as vehicle_id, sv.id as service_id, tm.id as team_id, sv.minutes + 5 * (g.i % 4) as minutes,
			            sv.cents, s.tz, g.r1, g.r3, g.r4, 420 + (g.i * 13) % 600 as start_minutes,
			            case when g.r1 < 0.03 then null
			                 else coalesce((coalesce(v.arrived_at, v.ready_at - interval '2 days') at time zone s.tz)::date + g.round % 4,
			                               date '${today}' + 1 + (g.i % 14)) end as planned_on
			     from (select i, 1 + (i - 1) % ${vehicles} as n, (i - 1) / ${vehicles} as round, random() as r1, random() as r2, random() as r3, random() as r4
			           from generate_series(1, ${tasks}) as i) g
			     join bench_vehicles v on v.n = g.n
			     join bench_sites s on s.s = v.s
			     join bench_orders o on o.s = v.s and o.q = v.q
			     join bench_services sv on sv.s = v.s and sv.k = 1 + (g.round + v.n) % 6
			     left join bench_teams tm on tm.s = v.s and tm.k = 1 + (g.i * 31) % ${TEAMS_PER_SITE} and g.r2 >= 0.08
			   ) x
			 ) t
			 ${inOrder('planned_on nulls last')}`
		);

		// ── invoices ─────────────────────────────────────────────────────────────────────────
		// Each of the last 12 months: one invoice per site and 15 accounts, issued 2 days after
		// the month's end, due 30 days later: paid (85 % of those due), overdue (10 %) or sent and
		// not marked yet; recent ones issued or sent. 3 % get a credit note; a draft per site.
		await step(
			'invoices',
			`create temp table bench_invoices on commit drop as
			 select gen_random_uuid() as id, s.s, s.id as site_id, s.code, ba.id as client, m.month_start, m.month_end,
			        m.month_end + 2 as issued_on, m.month_end + 32 as due_on, 50000 + floor(random() * 2000000)::bigint as net, random() as r
			 from bench_sites s
			 cross join (select (date_trunc('month', date '${today}') - make_interval(months => k))::date as month_start,
			                    (date_trunc('month', date '${today}') - make_interval(months => k - 1))::date - 1 as month_end
			             from generate_series(1, 12) as k) m
			 cross join generate_series(1, 15) as j
			 join bench_accounts ba on ba.a = 1 + (s.s * 3 + j) % ${ACCOUNTS}
			 where m.month_end + 2 <= date '${today}';
			 insert into public.invoices (id, organisation_id, site_id, client_account_id, kind, status, period_start, period_end, number, issued_on, due_on,
			                              sent_at, paid_at, net_cents, vat_cents, gross_cents, created_at, updated_at)
			 select id, '${orgId}', site_id, client, 'invoice', status::public.invoice_status, month_start, month_end,
			        'F' || code || '-' || extract(year from issued_on) || '-' || lpad(row_number() over (partition by s order by issued_on, id)::text, 5, '0'),
			        issued_on, due_on,
			        case when status <> 'issued' then issued_on + time '10:00' end, case when status = 'paid' then due_on - 5 + time '12:00' end,
			        net, net / 5, net + net / 5, issued_on + time '09:00', issued_on + time '09:00'
			 from (select *, case when due_on < date '${today}' then case when r < 0.85 then 'paid' when r < 0.95 then 'overdue' else 'sent' end
			                      else case when r < 0.5 then 'issued' else 'sent' end end as status
			       from bench_invoices) i;
			 insert into public.invoices (organisation_id, site_id, client_account_id, kind, credits_invoice_id, status, number, issued_on, due_on,
			                              sent_at, net_cents, vat_cents, gross_cents)
			 select '${orgId}', site_id, client, 'credit_note', id, 'sent',
			        'A' || code || '-' || extract(year from issued_on + 10) || '-' || lpad(row_number() over (partition by s order by issued_on, id)::text, 5, '0'),
			        least(issued_on + 10, date '${today}'), least(issued_on + 10, date '${today}'), least(issued_on + 10, date '${today}') + time '11:00',
			        net / 4, net / 20, net / 4 + net / 20
			 from bench_invoices where r > 0.97;
			 insert into public.invoices (organisation_id, site_id, client_account_id, kind, status, period_start, period_end, net_cents, vat_cents, gross_cents)
			 select '${orgId}', s.id, (select id from bench_accounts where a = 1 + s.s % ${ACCOUNTS}), 'invoice', 'draft',
			        date_trunc('month', date '${today}')::date, (date_trunc('month', date '${today}') + interval '1 month')::date - 1, 120000, 24000, 144000
			 from bench_sites s`
		);

		// ── transfers and their steps ────────────────────────────────────────────────────────
		// Older than 10 days: 90 % received or delivered, 5 % cancelled, 5 % stuck in transit;
		// recent: any step. 80 % to another site, the rest to a client address.
		await step(
			'transfers',
			`create temp table bench_transfers on commit drop as
			 select gen_random_uuid() as id, k, v.id as vehicle_id, v.s, created_at,
			        case when created_at < now() - interval '10 days'
			             then case when r2 < 0.60 then 'received' when r2 < 0.90 then 'delivered' when r2 < 0.95 then 'cancelled' else 'in_transit' end
			             else (array['requested', 'approved', 'driver_assigned', 'picked_up', 'in_transit', 'delivered', 'received', 'cancelled'])[1 + floor(r2 * 8)::int]
			        end as status
			 from (select k, now() - make_interval(secs => random() * 365 * 86400) as created_at, random() as r2 from generate_series(1, ${transfers}) as k) g
			 join bench_vehicles v on v.n = 1 + (g.k * 37) % ${vehicles};
			 insert into public.transfers (id, organisation_id, vehicle_id, from_site_id, to_site_id, delivery_address, status, reason, created_at, updated_at)
			 select t.id, '${orgId}', t.vehicle_id, f.id, case when t.k % 5 = 0 then null else d.id end,
			        case when t.k % 5 = 0 then t.k || ' rue du Client, 75002 Paris' end, t.status::public.transfer_status,
			        'Rééquilibrage du stock', t.created_at, t.created_at + interval '1 day'
			 from bench_transfers t join bench_sites f on f.s = t.s join bench_sites d on d.s = 1 + (t.s + t.k % ${SITES - 1}) % ${SITES};
			 insert into public.transfer_events (transfer_id, from_site_id, to_site_id, status, occurred_at)
			 select tr.id, tr.from_site_id, tr.to_site_id, e.status, e.occurred_at
			 from public.transfers tr
			 cross join lateral (
			   select (enum_range(null::public.transfer_status))[o] as status, tr.created_at + make_interval(hours => 6 * (o - 1)) as occurred_at
			   from generate_series(1, case when tr.status = 'cancelled' then 1 else array_position(enum_range(null::public.transfer_status), tr.status) end) as o
			   union all
			   select 'cancelled', tr.created_at + interval '1 day' where tr.status = 'cancelled'
			 ) e
			 where tr.organisation_id = '${orgId}'`
		);

		// ── ticket threads ───────────────────────────────────────────────────────────────────
		// 600 over the last 60 days: 60 % resolved; of the others, 70 % await an answer (some for
		// longer than the 4 h response target).
		await step(
			'tickets',
			`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title, status, created_at, last_message_at, awaiting_since)
			 select s.id, ba.id, 'vehicle', v.id, 'Question sur le véhicule ' || k, status::public.thread_status, created_at, greatest(created_at, awaiting),
			        case when status <> 'resolved' then awaiting end
			 from (select k, random() as r, now() - make_interval(secs => random() * 60 * 86400) as created_at,
			              case when random() < 0.7 then now() - make_interval(secs => random() * 72 * 3600) end as awaiting,
			              case when random() < 0.6 then 'resolved' when random() < 0.5 then 'open' else 'pending' end as status
			       from generate_series(1, 600) as k) g
			 join bench_vehicles v on v.n = 1 + (g.k * 53) % ${vehicles}
			 join bench_sites s on s.s = v.s
			 join bench_accounts ba on ba.a = 1 + g.k % ${ACCOUNTS}`
		);
		const { rows } = await c.query<{ id: string }>(`select id from bench_sites where s = 1`);
		await step('commit', 'commit');
		return rows;
	});
	return {
		loadMs,
		totalMs: ms(started),
		director: claims(director, 'director@bench.relais'),
		siteManager: claims(managers[0], 'manager1@bench.relais'),
		managedSite: siteIds[0].id
	};
}

const claims = (sub: string, email: string): JwtClaims => ({ sub, role: 'authenticated', email });

async function rowCounts(pool: pg.Pool) {
	const { rows } = await pool.query<Record<string, number>>(
		`select (select count(*)::int from public.sites) as sites, (select count(*)::int from public.teams) as teams,
		        (select count(*)::int from public.vehicles) as vehicles, (select count(*)::int from public.vehicles where ready_at is not null) as vehicles_ready,
		        (select count(*)::int from public.tasks) as tasks, (select count(*)::int from public.tasks where status = 'cancelled') as tasks_cancelled,
		        (select count(*)::int from public.orders) as orders, (select count(*)::int from public.invoices where status <> 'draft') as invoices_issued,
		        (select count(*)::int from public.transfers) as transfers, (select count(*)::int from public.transfer_events) as transfer_events,
		        (select count(*)::int from public.ticket_threads) as ticket_threads, (select count(*)::int from public.memberships) as memberships`
	);
	return rows[0];
}

function describeCounts(c: Record<string, number>): string {
	return (
		`${c.sites} sites, ${c.teams} teams, ${c.vehicles} vehicles (${c.vehicles_ready} ready), ${c.tasks} tasks (${c.tasks_cancelled} cancelled), ` +
		`${c.orders} orders, ${c.invoices_issued} issued invoices and credit notes, ${c.transfers} transfers (${c.transfer_events} steps), ` +
		`${c.ticket_threads} ticket threads, ${c.memberships} memberships`
	);
}

async function aggregateSizes(pool: pg.Pool) {
	const out: Record<string, { rows: number; kb: number }> = {};
	for (const table of ['kpi_vehicle_days', 'kpi_task_days', 'kpi_invoice_days']) {
		const { rows } = await pool.query<{ rows: number; kb: number }>(
			`select count(*)::int as rows, (pg_total_relation_size('public.${table}') / 1024)::int as kb from public.${table}`
		);
		out[table] = rows[0];
	}
	return out;
}

// ─── measuring ───────────────────────────────────────────────────────────────────────────────

interface Call {
	text: string;
	values: unknown[];
	ms: number;
}

/** The transaction's client, its `query(text, values)` timed and recorded in order. */
function recording(sql: Sql, calls: Call[]): Sql {
	const query = async (text: string, values?: unknown[]) => {
		const t = performance.now();
		const result = await sql.query(text, values);
		calls.push({ text, values: values ?? [], ms: performance.now() - t });
		return result;
	};
	return new Proxy(sql, {
		get(target, prop) {
			if (prop === 'query') return query;
			const value = Reflect.get(target, prop, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

function timing(samples: number[]): Timing {
	const s = summarise(samples);
	return { p50_ms: s.p50_ms, p95_ms: s.p95_ms, max_ms: Math.round(Math.max(...samples) * 10) / 10 };
}

const fmt = (t: Timing) => `${t.p50_ms}/${t.p95_ms}/${t.max_ms}`;

/** Today in Paris, where the group is run from. */
function parisToday(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function periodsOf(today: string): Record<PeriodKind, Period> {
	return {
		today: periodFor('today', today),
		week: periodFor('week', today),
		month: periodFor('month', today),
		last_90_days: { start: addDays({ date: today, count: -89 }), end: today },
		last_12_months: { start: addDays({ date: today, count: -364 }), end: today }
	};
}

// ─── writes ──────────────────────────────────────────────────────────────────────────────────

type Variant = 'all_triggers' | 'no_kpi_triggers' | 'no_triggers';

/**
 * Planned or in-progress tasks of past days set to done, as the table owner (system work; the
 * guards let it through), each variant on tasks of its own: 1,000 single-row updates each in its
 * own transaction, then one update of 10,000 rows. Variants: every trigger (production), every
 * trigger but the three KPI ones (disabled for the variant), none (`session_replication_role =
 * replica`). The last two put their tasks back afterwards, untimed, in the same mode, so the
 * aggregates stay right.
 */
async function writeOverhead(url: string, today: string) {
	return withConnection(url, async (c) => {
		const { rows: candidates } = await c.query<{ id: string; status: string }>(
			`select id, status::text from public.tasks where status in ('planned', 'in_progress') and planned_on < $1::date order by id`,
			[today]
		);
		const singles = Math.min(1000, Math.floor(candidates.length / 6));
		const bulk = Math.min(10_000, Math.floor(candidates.length / 3) - singles);
		const variants = {} as Record<Variant, { single_total_ms: number; single_per_statement_ms: number; single_p95_ms: number; bulk_ms: number }>;
		const order: Variant[] = ['no_triggers', 'no_kpi_triggers', 'all_triggers'];
		for (const [v, variant] of order.entries()) {
			const mine = candidates.slice(v * (singles + bulk), (v + 1) * (singles + bulk));
			const setMode = async (on: boolean) => {
				if (variant === 'no_triggers') await c.query(on ? 'set session_replication_role = replica' : 'reset session_replication_role');
				if (variant === 'no_kpi_triggers') {
					const action = on ? 'disable' : 'enable';
					await c.query(`alter table public.tasks ${action} trigger kpi_insert, ${action} trigger kpi_update, ${action} trigger kpi_delete`);
				}
			};
			await setMode(true);
			try {
				const laps: number[] = [];
				const t = performance.now();
				for (const task of mine.slice(0, singles)) {
					const s = performance.now();
					await c.query(`update public.tasks set status = 'done', completed_at = now() where id = $1`, [task.id]);
					laps.push(performance.now() - s);
				}
				const singleMs = ms(t);
				const b = performance.now();
				await c.query(`update public.tasks set status = 'done', completed_at = now() where id = any ($1::uuid[])`, [mine.slice(singles).map((r) => r.id)]);
				const bulkMs = ms(b);
				variants[variant] = {
					single_total_ms: singleMs,
					single_per_statement_ms: Math.round((singleMs / Math.max(1, singles)) * 100) / 100,
					single_p95_ms: summarise(laps).p95_ms,
					bulk_ms: bulkMs
				};
				if (variant !== 'all_triggers') {
					await c.query(
						`update public.tasks t set status = b.status::public.task_status, completed_at = null
						 from unnest($1::uuid[], $2::text[]) as b (id, status) where t.id = b.id`,
						[mine.map((r) => r.id), mine.map((r) => r.status)]
					);
				}
			} finally {
				await setMode(false);
			}
		}
		return { singles, bulk, variants };
	});
}

/** Other writes the aggregates must follow, every trigger on, timed for information. */
async function mixedWrites(url: string, today: string) {
	return withConnection(url, async (c) => {
		const timed = async (text: string, values: unknown[] = []) => {
			const t = performance.now();
			const r = await c.query(text, values);
			return { n: r.rowCount ?? 0, ms: ms(t) };
		};
		// 1,000 new tasks like existing ones, planned in the coming days.
		const insert = await timed(
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, team_id, planned_on, estimated_minutes, price_cents, status)
			 select site_id, client_account_id, order_id, vehicle_id, service_id, team_id, $1::date + (row_number() over () % 10)::int, estimated_minutes, price_cents, 'planned'
			 from public.tasks where status = 'validated' order by id limit 1000`,
			[today]
		);
		// 1,000 planned tasks moved a day later and to the next team of their site.
		const replan = await timed(
			`update public.tasks t set planned_on = t.planned_on + 1,
			        team_id = (select tm.id from public.teams tm where tm.site_id = t.site_id and tm.id > coalesce(t.team_id, '00000000-0000-0000-0000-000000000000') order by tm.id limit 1)
			 where t.id in (select id from public.tasks where status = 'planned' and planned_on >= $1::date order by id desc limit 1000)`,
			[today]
		);
		const cancel = await timed(
			`update public.tasks set status = 'cancelled' where id in (select id from public.tasks where status = 'todo' order by id limit 500)`
		);
		const del = await timed(`delete from public.tasks where id in (select id from public.tasks where status = 'done' order by id desc limit 200)`);
		const ready = await timed(
			`update public.vehicles set ready_at = now() - interval '1 minute', status = 'ready'
			 where id in (select id from public.vehicles where ready_at is null and arrived_at is not null order by id limit 500)`
		);
		return {
			inserted: insert.n,
			insertMs: insert.ms,
			replanned: replan.n,
			replanMs: replan.ms,
			cancelled: cancel.n,
			cancelMs: cancel.ms,
			deleted: del.n,
			deleteMs: del.ms,
			ready: ready.n,
			readyMs: ready.ms
		};
	});
}

/**
 * The aggregates as the triggers left them against `kpi_rebuild(null)`, in a transaction rolled
 * back: rows that differ (hours within 1e-6 relative), rows left all-zero by the triggers aside.
 */
async function compareWithRebuild(url: string) {
	return withConnection(url, async (c) => {
		await c.query('begin');
		try {
			await c.query(`create temp table kept_v on commit drop as select * from public.kpi_vehicle_days;
			               create temp table kept_t on commit drop as select * from public.kpi_task_days;
			               create temp table kept_i on commit drop as select * from public.kpi_invoice_days`);
			const t = performance.now();
			await c.query('select private.kpi_rebuild(null)');
			const rebuildMs = ms(t);
			const vZero = `(processed = 0 and with_arrival = 0 and lt_24h = 0 and h24_48 = 0 and h48_72 = 0 and d3_7 = 0 and gte_7d = 0)`;
			const tZero = `(planned = 0 and done = 0 and planned_minutes = 0)`;
			const { rows } = await c.query<{ vehicles: number; tasks: number; invoices: number; zero: number }>(
				`select
				   (select count(*)::int from (select * from kept_v where not ${vZero}) a full join (select * from public.kpi_vehicle_days where not ${vZero}) b using (site_id, day)
				    where a.site_id is null or b.site_id is null
				       or (a.processed, a.with_arrival, a.lt_24h, a.h24_48, a.h48_72, a.d3_7, a.gte_7d) is distinct from (b.processed, b.with_arrival, b.lt_24h, b.h24_48, b.h48_72, b.d3_7, b.gte_7d)
				       or abs(a.hours_sum - b.hours_sum) > 1e-6 * greatest(1, abs(b.hours_sum))) as vehicles,
				   (select count(*)::int
				    from (select *, coalesce(team_id, '00000000-0000-0000-0000-000000000000') as team from kept_t where not ${tZero}) a
				    full join (select *, coalesce(team_id, '00000000-0000-0000-0000-000000000000') as team from public.kpi_task_days where not ${tZero}) b
				      using (site_id, day, team)
				    where a.site_id is null or b.site_id is null or (a.planned, a.done, a.planned_minutes) is distinct from (b.planned, b.done, b.planned_minutes)) as tasks,
				   (select count(*)::int from (select * from kept_i where revenue_cents <> 0) a full join (select * from public.kpi_invoice_days where revenue_cents <> 0) b using (site_id, day)
				    where a.site_id is null or b.site_id is null or a.revenue_cents <> b.revenue_cents) as invoices,
				   (select count(*)::int from kept_v where ${vZero}) + (select count(*)::int from kept_t where ${tZero})
				     + (select count(*)::int from kept_i where revenue_cents = 0) as zero`
			);
			const r = rows[0];
			return { mismatches: r.vehicles + r.tasks + r.invoices, byTable: { vehicles: r.vehicles, tasks: r.tasks, invoices: r.invoices }, zeroRows: r.zero, rebuildMs };
		} finally {
			await c.query('rollback');
		}
	});
}

const ms = (since: number) => Math.round(performance.now() - since);
const euros = (cents: number) => `${Math.round(cents / 100).toLocaleString('en-GB')} €`;
