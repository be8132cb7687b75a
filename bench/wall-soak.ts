/**
 * npm run bench -- soak [--minutes 10] [--events-per-second 2] [--port 4180] [--no-build]
 *
 * The KPI wall left running with live events, as a TV would run it for days: the production
 * server (`npm run build`, then server.js) on a throw-away database on the machine's Postgres,
 * seeded with the demo data; a wall device for the demo hub showing every panel, rotating every
 * 10 s; headless chromium on /wall; tasks of the hub changing status `--events-per-second` times
 * a second the whole time. Every 30 s the page's JS heap is measured after a forced garbage
 * collection, with its DOM node and event listener counts. Prints the growth from the first
 * minute (warm) to the end, and how many of the changes the wall reloaded its figures for.
 * Before that, the latency of 20 changes: a task finished → the wall's counter moved.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from '@playwright/test';
import pg from 'pg';
import { seed } from '../src/lib/server/db/migrate';
import { privateDatabase } from './private-database';

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 30_000;

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			minutes: { type: 'string', default: '10' },
			'events-per-second': { type: 'string', default: '2' },
			port: { type: 'string', default: '4180' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			'no-build': { type: 'boolean', default: false }
		}
	});
	const minutes = Number(values.minutes);
	const eventsPerSecond = Number(values['events-per-second']);
	const origin = `http://127.0.0.1:${values.port}`;

	const database = await privateDatabase(values.server, `relais_bench_soak_${process.pid}`);
	const { url } = database;
	await seed(url);
	console.log(`database ${database.name} migrated and seeded with the demo data`);

	if (!values['no-build'] || !existsSync('build/handler.js')) {
		console.log('building the production server…');
		const build = spawnSync('npm', ['run', 'build'], { stdio: 'ignore' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}
	const server = spawn('node', ['server.js'], {
		env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: values.port, ORIGIN: origin, HOST: '127.0.0.1', JWT_SECRET: randomBytes(32).toString('hex') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const db = new pg.Client({ connectionString: url });
	let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
	try {
		await waitForHealth(origin);
		await db.connect();
		const token = randomBytes(32).toString('base64url');
		const { rows: sites } = await db.query<{ id: string; organisation_id: string }>(`select id, organisation_id from public.sites where code = 'HUB-LYS'`);
		const hub = sites[0];
		await db.query(
			`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels, rotate_seconds, shows_money)
			 values ($1, $2, 'Soak', $3, '{headline,immobilisation,sites,workload,trends}', 10, true)`,
			[hub.organisation_id, hub.id, createHash('sha256').update(token).digest('hex')]
		);
		// Tasks of the hub planned today flip between planned and done: every flip is a change the wall counts.
		const { rows: tasks } = await db.query<{ id: string }>(
			`update public.tasks set planned_on = (now() at time zone 'Europe/Paris')::date, status = 'planned'
			 where id in (select t.id from public.tasks t where t.site_id = $1 and t.status in ('planned', 'todo')
			              and not exists (select 1 from public.invoice_lines l where l.task_id = t.id) limit 40)
			 returning id`,
			[hub.id]
		);

		browser = await chromium.launch({
			executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
			args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc']
		});
		const latency = await measureLatency(browser, db, origin, hub, tasks.map((t) => t.id));
		console.log(`task done → wall counter moved: p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms over ${latency.n} changes`);

		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		await page.goto(`${origin}/wall?token=${token}`);
		await page.locator('[data-wall][data-live="true"]').waitFor({ timeout: 30_000 });
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Performance.enable');
		let reloads = 0;
		page.on('request', (request) => {
			if (new URL(request.url()).pathname.startsWith('/wall/__data.json')) reloads += 1;
		});

		const sample = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			const { metrics } = await cdp.send('Performance.getMetrics');
			const metric = (key: string) => metrics.find((x) => x.name === key)?.value ?? 0;
			return { atS: 0, heapMb: metric('JSHeapUsedSize') / MB, nodes: metric('Nodes'), listeners: metric('JSEventListeners') };
		};

		let events = 0;
		let flip = 0;
		const writer = setInterval(() => {
			const id = tasks[flip++ % tasks.length].id;
			events += 1;
			void db.query(`update public.tasks set status = case when status = 'done' then 'planned'::public.task_status else 'done' end where id = $1`, [id]);
		}, 1000 / eventsPerSecond);

		const started = Date.now();
		const samples: Array<Awaited<ReturnType<typeof sample>>> = [];
		console.log(`soaking for ${minutes} min with ${eventsPerSecond} task changes/s (${tasks.length} tasks flipping)…`);
		while (Date.now() - started < minutes * 60_000) {
			await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
			const s = { ...(await sample()), atS: Math.round((Date.now() - started) / 1000) };
			samples.push(s);
			console.log(`  ${s.atS}s heap ${s.heapMb.toFixed(2)} MB, ${s.nodes} DOM nodes, ${s.listeners} listeners, ${reloads} reloads`);
		}
		clearInterval(writer);
		const live = await page.locator('[data-wall]').getAttribute('data-live');
		// Warm: the first minute loads the chart code and fills caches; growth is measured after it.
		const warm = samples.find((s) => s.atS >= 60) ?? samples[0];
		const last = samples[samples.length - 1];
		const result = {
			latencyMs: latency,
			minutes,
			events,
			reloads,
			stillLive: live === 'true',
			heapWarmMb: round(warm.heapMb),
			heapEndMb: round(last.heapMb),
			heapGrowthMb: round(last.heapMb - warm.heapMb),
			heapMaxMb: round(Math.max(...samples.map((s) => s.heapMb))),
			domNodesWarm: warm.nodes,
			domNodesEnd: last.nodes,
			listenersWarm: warm.listeners,
			listenersEnd: last.listeners
		};
		console.log(JSON.stringify(result));
	} finally {
		await browser?.close();
		server.kill('SIGTERM');
		await db.end().catch(() => {});
		await new Promise((r) => setTimeout(r, 1000));
		await database.drop();
	}
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * How long a change takes to show: a wall showing the key figures only, and tasks of its site
 * finished one at a time; from the commit of each to the moment the "tasks done" tile shows the
 * new count (change feed → `/wall` socket → coalescing → reload → render).
 */
async function measureLatency(browser: Browser, db: pg.Client, origin: string, hub: { id: string; organisation_id: string }, taskIds: string[]) {
	const token = randomBytes(32).toString('base64url');
	await db.query(
		`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels) values ($1, $2, 'Latency', $3, '{headline}')`,
		[hub.organisation_id, hub.id, createHash('sha256').update(token).digest('hex')]
	);
	const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
	await page.goto(`${origin}/wall?token=${token}`);
	await page.locator('[data-wall][data-live="true"]').waitFor({ timeout: 30_000 });
	const tile = page.locator('[data-kpi-tile="tasks_done"]');
	const times: number[] = [];
	for (const id of taskIds.slice(0, 20)) {
		const before = Number(await tile.getAttribute('data-current'));
		const started = performance.now();
		await db.query(`update public.tasks set status = 'done' where id = $1`, [id]);
		await page.waitForFunction((expected) => document.querySelector('[data-kpi-tile="tasks_done"]')?.getAttribute('data-current') === expected, String(before + 1), {
			polling: 'raf',
			timeout: 10_000
		});
		times.push(performance.now() - started);
		await db.query(`update public.tasks set status = 'planned' where id = $1`, [id]);
		await page.waitForFunction((expected) => document.querySelector('[data-kpi-tile="tasks_done"]')?.getAttribute('data-current') === expected, String(before), {
			polling: 'raf',
			timeout: 10_000
		});
	}
	await page.close();
	times.sort((a, b) => a - b);
	const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
	return { n: times.length, p50: at(0.5), p95: at(0.95), max: Math.round(times[times.length - 1]) };
}

export async function waitForHealth(origin: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(`${origin}/health`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error('the server did not answer /health within 60 s');
}
