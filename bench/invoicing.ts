/**
 * Invoicing bench: last month's billing run over 50,000 validated tasks of 30 client accounts
 * (two sites, 15 accounts each, so ~1,700 lines per draft), on a database of its own: a
 * throw-away database on the machine's Postgres, migrated like the tests' private databases,
 * dropped at the end. The data is seeded set-based as the service role (tasks inserted straight
 * as `validated`; the triggers of `tasks` run as they do in production), plus tasks the run must
 * leave alone (validated after the period, done but not validated).
 *
 * Reported:
 * - the run (`runBilling`, as a CSM of both sites: RLS on, one transaction): duration, drafts
 *   and lines written, lines/s, peak RSS and heap of this process, peak memory of the Postgres
 *   backend that ran it (from /proc when the server is on this machine), temp files written;
 * - a second run of the same month: its duration, and that it wrote nothing (0 lines);
 * - issuing the biggest draft (number, PDF render, storage on disk): duration, PDF size and
 *   pages, with the model read and the render timed again on their own.
 *
 *   npm run bench -- invoicing [--tasks 50000] [--accounts 30] [--server postgres://postgres@127.0.0.1:5432/postgres]
 *                              [--keep] (leave the database)  [--explain] (diagnosis: plans and trigger times of run 1)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { monthOf } from '../src/lib/domain/planning/calendar';
import { asService, closePools, getPool, withUser } from '../src/lib/server/db/pool';
import { renderDocument } from '../src/lib/server/documents/render';
import { invoiceDocument } from '../src/lib/server/invoicing/document';
import { issueInvoice } from '../src/lib/server/invoicing/issue';
import { runBilling, type BillingPeriod } from '../src/lib/server/invoicing/run';
import { diskStorage, type Storage } from '../src/lib/server/storage';
import { createWorld } from '../tests/integration/world';
import { privateDatabase } from './private-database';

const MB = 1024 * 1024;
const SAMPLE_MS = 20;

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			tasks: { type: 'string', default: '50000' },
			accounts: { type: 'string', default: '30' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			keep: { type: 'boolean', default: false },
			explain: { type: 'boolean', default: false }
		}
	});
	const taskCount = Number(values.tasks);
	const accountCount = Number(values.accounts);
	// Last calendar month, as the monthly run bills it early in the next one.
	const lastMonth = new Date();
	lastMonth.setUTCDate(0);
	const period = monthOf(lastMonth.toISOString().slice(0, 10));

	let started = performance.now();
	const db = await privateDatabase(values.server, `relais_bench_invoicing_${process.pid}`);
	console.log(`database ${db.name} on ${new URL(values.server).host}, migrated in ${ms(started)} ms`);
	const dir = await mkdtemp(path.join(os.tmpdir(), 'relais-bench-invoicing-'));
	try {
		const pool = getPool(db.url);
		started = performance.now();
		const fixture = await seed(db.url, taskCount, accountCount, period);
		console.log(
			`seeded ${taskCount} validated tasks of ${period.start}…${period.end} over ${accountCount} client accounts and 2 sites ` +
				`(+ ${fixture.decoys} tasks the run must leave alone) in ${ms(started)} ms`
		);
		const { csm } = fixture;
		const siteIds = fixture.sites;
		const pgSetting = async (name: string) => (await pool.query<{ v: string }>(`select current_setting($1) as v`, [name])).rows[0].v;
		const settings = { work_mem: await pgSetting('work_mem'), shared_buffers: await pgSetting('shared_buffers') };

		// ── run 1 ─────────────────────────────────────────────────────────────────────────
		const explained: string[] = [];
		const runPool = values.explain ? explainPool(db.url, explained) : pool;
		const first = await measured(db.url, () => withUser(runPool, csm, (sql) => billing(sql, period, siteIds)));
		if (runPool !== pool) await runPool.end();
		const written = await pool.query<{ invoices: number; lines: number; tasks: number; unbilled: number; per_invoice_max: number; per_invoice_min: number }>(
			`select (select count(*)::int from public.invoices) as invoices,
			        (select count(*)::int from public.invoice_lines) as lines,
			        (select count(distinct task_id)::int from public.invoice_lines) as tasks,
			        (select count(*)::int from public.tasks t where not exists (select 1 from public.invoice_lines l where l.task_id = t.id)) as unbilled,
			        (select max(n)::int from (select count(*) as n from public.invoice_lines group by invoice_id) c) as per_invoice_max,
			        (select min(n)::int from (select count(*) as n from public.invoice_lines group by invoice_id) c) as per_invoice_min`
		);
		const w = written.rows[0];
		if (first.value.lines !== taskCount || w.lines !== taskCount || w.tasks !== taskCount || w.unbilled !== fixture.decoys) {
			throw new Error(`run 1 billed ${first.value.lines} lines (${w.tasks} tasks, ${w.unbilled} left unbilled), expected ${taskCount} (and ${fixture.decoys})`);
		}
		const linesPerS = Math.round((w.lines * 1000) / first.ms);
		console.log(
			`run 1: ${first.value.invoices} drafts, ${w.lines} lines (${w.per_invoice_min}–${w.per_invoice_max} per draft) in ${first.ms} ms = ${linesPerS} lines/s; ` +
				`${fixture.decoys} tasks outside the period or not validated left alone`
		);
		console.log(`  node: peak RSS ${first.node.rssMb} MB, peak heap ${first.node.heapMb} MB (sampled every ${SAMPLE_MS} ms; RSS ${first.node.rssBeforeMb} MB before)`);
		console.log(`  postgres backend: ${describePg(first.pg)}; temp files ${first.tempMb} MB (work_mem ${settings.work_mem}, shared_buffers ${settings.shared_buffers})`);
		if (values.explain) {
			console.log(`  --explain: timings above include auto_explain's instrumentation`);
			for (const plan of explained) console.log(plan.replace(/^/gm, '    '));
		}

		// ── run 2: the same month again ───────────────────────────────────────────────────
		const second = await measured(db.url, () => withUser(pool, csm, (sql) => billing(sql, period, siteIds)));
		const after = (await pool.query<{ lines: number }>(`select count(*)::int as lines from public.invoice_lines`)).rows[0].lines;
		if (second.value.lines !== 0 || after !== w.lines) throw new Error(`run 2 wrote ${second.value.lines} lines (${after} in all, was ${w.lines})`);
		console.log(`run 2 (same month): ${second.value.invoices} drafts touched, ${second.value.lines} new lines (${after} in all, unchanged) in ${second.ms} ms`);

		// ── issuing the biggest draft ─────────────────────────────────────────────────────
		const { rows: biggest } = await pool.query<{ id: string; lines: number }>(
			`select invoice_id as id, count(*)::int as lines from public.invoice_lines group by invoice_id order by count(*) desc, invoice_id limit 1`
		);
		const target = biggest[0];
		const store = timedStorage(diskStorage(dir));
		const issued = await measured(db.url, () => withUser(pool, csm, async (sql) => {
				await announceBackend(sql);
				return issueInvoice(sql, target.id, { store, exportToAccounting: false });
			}));
		const { rows: doc } = await pool.query<{ status: string; number: string; byte_size: number; gross_cents: number }>(
			`select i.status, i.number, d.byte_size, i.gross_cents from public.invoices i join public.documents d on d.id = i.document_id where i.id = $1`,
			[target.id]
		);
		if (doc[0]?.status !== 'issued' || doc[0].number !== issued.value.number) throw new Error(`invoice ${target.id} was not issued`);
		const pdf = store.last!;
		const pages = pageCount(pdf);
		// The same steps again, on their own, to say where the issue's time goes.
		const parts = await withUser(pool, csm, async (sql) => {
			let t = performance.now();
			const model = await invoiceDocument(sql, store, target.id, new Date().toISOString().slice(0, 10));
			const modelMs = ms(t);
			t = performance.now();
			const bytes = await renderDocument(model!);
			return { modelMs, renderMs: ms(t), sameBytes: Buffer.compare(Buffer.from(bytes), Buffer.from(pdf)) === 0 };
		});
		console.log(
			`issue ${issued.value.number} (${target.lines} lines, ${euros(doc[0].gross_cents)} incl. VAT): ${issued.ms} ms for number + PDF + storage; ` +
				`PDF ${(pdf.byteLength / 1024).toFixed(0)} KB, ${pages} pages; storage put ${store.putMs} ms`
		);
		console.log(
			`  again on their own: model read ${parts.modelMs} ms, render ${parts.renderMs} ms (same bytes: ${parts.sameBytes}); ` +
				`node peak RSS ${issued.node.rssMb} MB, peak heap ${issued.node.heapMb} MB (heap sampled: render blocks the loop); postgres backend: ${describePg(issued.pg)}`
		);

		const result = {
			bench: 'invoicing',
			period: `${period.start}/${period.end}`,
			tasks: taskCount,
			accounts: accountCount,
			run: {
				ms: first.ms,
				invoices: first.value.invoices,
				lines: w.lines,
				lines_per_s: linesPerS,
				node_peak_rss_mb: first.node.rssMb,
				node_peak_heap_mb: first.node.heapMb,
				pg_backend_peak_rss_mb: first.pg?.hwmMb ?? null,
				pg_backend_peak_private_mb: first.pg?.anonMb ?? null,
				pg_temp_mb: first.tempMb
			},
			rerun: { ms: second.ms, new_lines: second.value.lines },
			issue: {
				ms: issued.ms,
				lines: target.lines,
				pdf_kb: Math.round(pdf.byteLength / 1024),
				pages,
				model_ms: parts.modelMs,
				render_ms: parts.renderMs,
				put_ms: store.putMs,
				node_peak_rss_mb: issued.node.rssMb
			}
		};
		console.log(JSON.stringify(result));
	} finally {
		await closePools();
		await rm(dir, { recursive: true, force: true });
		if (values.keep) console.log(`kept ${db.url}`);
		else await db.drop();
	}
}

/** runBilling, with the backend's pid for the memory sampler. */
async function billing(sql: pg.PoolClient, period: BillingPeriod, siteIds: string[]) {
	await announceBackend(sql);
	return runBilling(sql, period, siteIds);
}

// ─── database ────────────────────────────────────────────────────────────────────────────────

/**
 * The world of the integration tests (its CSM becomes CSM of both its hubs), then, as the
 * service role: the sites' catalogue and prices, `accounts` client accounts (alternately at
 * each hub), their vehicles and orders, `taskCount` tasks validated within the period, and the
 * decoys: tasks validated after the period's end and tasks done but not validated.
 */
async function seed(url: string, taskCount: number, accountCount: number, period: BillingPeriod) {
	const world = await createWorld(url);
	const pool = world.pool;
	const sites = [world.sites.hub, world.sites.hub2];
	await pool.query(`insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, 'csm')`, [
		world.orgId,
		world.people.csm.id,
		world.sites.hub2
	]);
	const perAccount = Math.ceil(taskCount / accountCount);
	const vehiclesPerAccount = Math.ceil(perAccount / 2.5);
	const ordersPerAccount = Math.ceil(perAccount / 25);
	const nextMonth = Math.round(taskCount * 0.04);
	const notValidated = Math.round(taskCount * 0.06);
	const days = Number(period.end.slice(8, 10));

	await asService(pool, async (sql) => {
		const q = (text: string, values: unknown[]) => sql.query(text, values);
		// Six services per site, one at the reduced VAT rate, each with a general price.
		await q(
			`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp)
			 select s, c.code, c.fr, c.en, c.zone::public.zone_kind, c.minutes, c.vat
			 from unnest($1::uuid[]) as s, (values
			   ('WASH_EXT', 'Lavage extérieur', 'Exterior wash', 'wash', 20, 2000),
			   ('WASH_FULL', 'Lavage complet', 'Full valet', 'wash', 45, 2000),
			   ('PREP', 'Préparation livraison', 'Delivery preparation', 'workshop', 60, 2000),
			   ('BODY', 'Retouche carrosserie', 'Bodywork touch-up', 'bodywork', 90, 2000),
			   ('PARK', 'Gardiennage (jour)', 'Storage (day)', 'parking', 5, 1000),
			   ('READY', 'Mise à disposition', 'Handover', 'ready', 15, 2000)
			 ) as c (code, fr, en, zone, minutes, vat)`,
			[sites]
		);
		await q(
			`insert into public.prices (site_id, service_id, unit_price_cents, valid_from)
			 select sv.site_id, sv.id, p.cents, $2::date - 365
			 from public.services sv join (values ('WASH_EXT', 1500), ('WASH_FULL', 4500), ('PREP', 8900), ('BODY', 14500), ('PARK', 700), ('READY', 2500)) as p (code, cents)
			   on p.code = sv.code
			 where sv.site_id = any ($1::uuid[])`,
			[sites, period.start]
		);
		await q(
			`insert into public.client_accounts (organisation_id, name, kind, billing_email, billing_address, locale)
			 select $1, format('Bench client %s', lpad(k::text, 2, '0')), 'rental', format('billing%s@client.test', k),
			        format(E'%s avenue des Loueurs\n69%s Lyon', k, lpad(k::text, 3, '0')), case when k % 5 = 0 then 'en' else 'fr' end
			 from generate_series(1, $2) as k`,
			[world.orgId, accountCount]
		);
		// Account k (in name order) works with hub (k odd) or hub2 (k even).
		const accounts = `(select ca.id, row_number() over (order by ca.name)::int as k,
		                          ($2::uuid[])[1 + (row_number() over (order by ca.name)::int + 1) % 2] as site_id
		                   from public.client_accounts ca where ca.organisation_id = $1 and ca.name like 'Bench client %')`;
		await q(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy, mileage_km, status)
			 select $1, a.site_id, a.id, 'VF1' || lpad(n::text, 14, '0'),
			        case when n % 10 = 0 then null else 'BX-' || lpad(n::text, 6, '0') end,
			        (array['Renault', 'Peugeot', 'Citroën', 'Dacia', 'Toyota'])[1 + n % 5],
			        (array['Clio', '208', 'C3', 'Sandero', 'Yaris', 'Captur'])[1 + n % 6],
			        'petrol', 1000 + n % 50000, 'delivered'
			 from generate_series(1, $3::int * $4::int) as n
			 join ${accounts} a on a.k = 1 + (n - 1) % $3`,
			[world.orgId, sites, accountCount, vehiclesPerAccount]
		);
		await q(
			`insert into public.orders (site_id, client_account_id, reference, deadline, status)
			 select a.site_id, a.id, 'CMD-BENCH-' || lpad(n::text, 5, '0'), $5::date, 'closed'
			 from generate_series(1, $3::int * $4::int) as n
			 join ${accounts} a on a.k = 1 + (n - 1) % $3`,
			[world.orgId, sites, accountCount, ordersPerAccount, period.end]
		);
		// Task i: account k = 1 + (i - 1) % accounts, its (i / accounts)-th vehicle and order
		// (round robin), one of the six services; completed at a spread of times inside the
		// period (a day away from its edges, whatever the session's time zone).
		await q(
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents,
			                           status, planned_on, started_at, completed_at, validated_at, validated_by)
			 select a.site_id, a.id, o.id, v.id, sv.id, sv.default_minutes, pr.unit_price_cents,
			        t.status::public.task_status, t.completed_at::date, t.completed_at - make_interval(mins => sv.default_minutes), t.completed_at,
			        case when t.status = 'validated' then t.completed_at + interval '20 hours' end,
			        case when t.status = 'validated' then $7::uuid end
			 from generate_series(1, $4::int + $5::int + $6::int) as i
			 cross join lateral (
			   select 1 + (i - 1) % $3 as k, (i - 1) / $3 as j,
			          case when i <= $4 + $5 then 'validated' else 'done' end as status,
			          case when i <= $4 or i > $4 + $5
			               then $8::date + interval '1 day' + make_interval(secs => (i::bigint * 7919) % (($9::int - 2) * 86400))
			               else $8::date + make_interval(days => $9::int + 1) + make_interval(secs => (i::bigint * 7919) % (10 * 86400)) end as completed_at
			 ) as t
			 join ${accounts} a on a.k = t.k
			 join public.vehicles v on v.organisation_id = $1 and v.vin = 'VF1' || lpad((t.k + $3 * (t.j % $10))::text, 14, '0')
			 join public.orders o on o.site_id = a.site_id and o.reference = 'CMD-BENCH-' || lpad((t.k + $3 * (t.j % $11))::text, 5, '0')
			 join public.services sv on sv.site_id = a.site_id
			   and sv.code = (array['WASH_EXT', 'WASH_EXT', 'WASH_FULL', 'PREP', 'PREP', 'BODY', 'PARK', 'READY'])[1 + (i * 7) % 8]
			 join public.prices pr on pr.service_id = sv.id`,
			[world.orgId, sites, accountCount, taskCount, nextMonth, notValidated, world.people.csm.id, period.start, days, vehiclesPerAccount, ordersPerAccount]
		);
	});
	const { rows } = await pool.query<{ n: number }>(
		`select count(*)::int as n from public.tasks where status = 'validated' and completed_at >= $1::date and completed_at < $2::date + 1`,
		[period.start, period.end]
	);
	if (rows[0].n !== taskCount) throw new Error(`seeded ${rows[0].n} validated tasks in the period, expected ${taskCount}`);
	// As autovacuum would have by the time of a monthly run; keeps the plans deterministic.
	await pool.query('analyze');
	return { csm: world.people.csm.claims, sites, decoys: nextMonth + notValidated };
}

/**
 * A pool whose sessions print, as notices, the plan of every statement with its trigger times
 * (auto_explain, nested statements included): for --explain only.
 */
function explainPool(url: string, plans: string[]): pg.Pool {
	const pool = new pg.Pool({
		connectionString: url,
		max: 1,
		options:
			'-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=50 -c auto_explain.log_analyze=on ' +
			'-c auto_explain.log_triggers=on -c auto_explain.log_nested_statements=on -c auto_explain.log_level=notice'
	});
	pool.on('connect', (client) => client.on('notice', (n) => plans.push(n.message ?? '')));
	return pool;
}

// ─── measuring ───────────────────────────────────────────────────────────────────────────────

let backendPid: number | null = null;

/** Tells the sampler which Postgres backend runs the measured transaction. */
async function announceBackend(sql: pg.PoolClient): Promise<void> {
	backendPid = (await sql.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
	resetPeak(backendPid);
}

/** kB fields of /proc/<pid>/status, or null when the process is not ours to read (remote server). */
function procStatus(pid: number | 'self'): Record<string, number> | null {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		return Object.fromEntries([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1], Number(m[2])]));
	} catch {
		return null;
	}
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false when not allowed. */
function resetPeak(pid: number | 'self'): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

interface PgMemory {
	/** Peak RSS of the backend (VmHWM, reset at the start), shared buffers it touched included. */
	hwmMb: number | null;
	/** Peak private memory (RssAnon), sampled: what the backend allocated for itself. */
	anonMb: number;
	anonBeforeMb: number;
}

/**
 * Runs `fn` while sampling this process's RSS and heap and the announced Postgres backend's
 * memory every SAMPLE_MS; the Node peak RSS is also read from VmHWM (exact, even while the event
 * loop is blocked). Temp files are the database's, from pg_stat_database.
 */
async function measured<T>(url: string, fn: () => Promise<T>) {
	const temp = async () =>
		(await getPool(url).query<{ b: number }>(`select temp_bytes::bigint as b from pg_stat_database where datname = current_database()`)).rows[0].b;
	const tempBefore = await temp();
	backendPid = null;
	const nodeReset = resetPeak('self');
	const before = process.memoryUsage();
	let rss = before.rss;
	let heap = before.heapUsed;
	let pgMem: PgMemory | null = null;
	const sample = () => {
		const m = process.memoryUsage();
		rss = Math.max(rss, m.rss);
		heap = Math.max(heap, m.heapUsed);
		if (backendPid === null) return;
		const s = procStatus(backendPid);
		if (!s) return;
		const anon = (s.RssAnon ?? 0) * 1024;
		pgMem ??= { hwmMb: null, anonMb: 0, anonBeforeMb: mb(anon) };
		pgMem.anonMb = Math.max(pgMem.anonMb, mb(anon));
		if (s.VmHWM) pgMem.hwmMb = mb(s.VmHWM * 1024);
	};
	const timer = setInterval(sample, SAMPLE_MS);
	const t = performance.now();
	try {
		const value = await fn();
		const elapsed = ms(t);
		sample();
		const hwm = procStatus('self')?.VmHWM;
		if (nodeReset && hwm) rss = Math.max(rss, hwm * 1024);
		// pg_stat_database is updated when the backend reports, shortly after the transaction.
		await new Promise((r) => setTimeout(r, 600));
		const tempMb = mb((await temp()) - tempBefore);
		return { value, ms: elapsed, node: { rssMb: mb(rss), heapMb: mb(heap), rssBeforeMb: mb(before.rss) }, pg: pgMem as PgMemory | null, tempMb };
	} finally {
		clearInterval(timer);
	}
}

function describePg(m: PgMemory | null): string {
	if (!m) return 'memory not measurable (the server is not on this machine, or /proc/<pid> is not readable)';
	const peak = m.hwmMb === null ? 'peak RSS not readable' : `peak RSS ${m.hwmMb} MB (shared buffers it touched included)`;
	return `${peak}, private memory ${m.anonBeforeMb} → peak ${m.anonMb} MB (sampled)`;
}

/** Disk storage that remembers the last bytes put and how long puts took. */
function timedStorage(inner: Storage): Storage & { last: Uint8Array | null; putMs: number } {
	const timed = {
		last: null as Uint8Array | null,
		putMs: 0,
		get: inner.get,
		delete: inner.delete,
		async put(key: string, bytes: Uint8Array, contentType: string) {
			const t = performance.now();
			await inner.put(key, bytes, contentType);
			timed.putMs += ms(t);
			timed.last = bytes;
		}
	};
	return timed;
}

/** Pages of a PDF as pdfkit writes it (page objects are not in compressed object streams). */
function pageCount(pdf: Uint8Array): number {
	return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

const ms = (since: number) => Math.round(performance.now() - since);
const mb = (bytes: number) => Math.round(bytes / MB);
const euros = (cents: number) => `${(cents / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })} €`;

