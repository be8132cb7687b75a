/**
 * npm run bench -- yard [--maps 50] [--moves 10] [--renders 5] [--port 4181] [--no-build]
 *
 * The live yard map on a big site, as a hub's screens would open it: the production server
 * (`npm run build`, then server.js) on a throw-away database on the machine's Postgres, seeded
 * with the demo data plus a site of 2,000 bays in six zones holding 1,500 vehicles; headless
 * chromium (WebGL through SwiftShader) signed in as the demo admin.
 *
 * - Payload: the map's data as the page loads it (`/yard/__data.json`: zones and bays as one
 *   GeoJSON FeatureCollection, the vehicles, the occupancy), raw and gzipped.
 * - First render: a fresh tab on /yard until MapLibre has drawn every bay and vehicle
 *   (`data-map-state=ready` and the rendered counts), `--renders` times.
 * - Live moves: `--maps` tabs stay open on the map; `--moves` times a vehicle is moved to a free
 *   bay through `public.move_vehicle` as the admin (what a drag on a map does), and each tab
 *   reports when its plan shows the vehicle in the new bay. Latency from the call to each tab.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import { seed } from '../src/lib/server/db/migrate';
import { getPool, withUser, closePools } from '../src/lib/server/db/pool';
import { privateDatabase } from './private-database';
import { summarise } from './stats';
import { waitForHealth } from './wall-soak';

const BAYS = 2_000;
const VEHICLES = 1_500;
const ORG = 'd0000000-0000-4000-a000-000000000001';
const ADMIN_EMAIL = 'admin@relais.demo';
const PASSWORD = 'relais-demo';

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			maps: { type: 'string', default: '50' },
			moves: { type: 'string', default: '10' },
			renders: { type: 'string', default: '5' },
			port: { type: 'string', default: '4181' },
			server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
			'no-build': { type: 'boolean', default: false }
		}
	});
	const maps = Number(values.maps);
	const moves = Number(values.moves);
	const renders = Number(values.renders);
	const origin = `http://127.0.0.1:${values.port}`;

	const database = await privateDatabase(values.server, `relais_bench_yard_${process.pid}`);
	await seed(database.url);
	const db = new pg.Client({ connectionString: database.url });
	await db.connect();
	const site = await bigSite(db);
	console.log(`database ${database.name}: demo data plus ${site.code} with ${BAYS} bays and ${VEHICLES} vehicles`);

	if (!values['no-build'] || !existsSync('build/handler.js')) {
		console.log('building the production server…');
		if (spawnSync('npm', ['run', 'build'], { stdio: 'ignore' }).status !== 0) throw new Error('npm run build failed');
	}
	const server = spawn('node', ['server.js'], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			DATABASE_URL: database.url,
			PORT: values.port,
			ORIGIN: origin,
			HOST: '127.0.0.1',
			JWT_SECRET: randomBytes(32).toString('hex')
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	let browser: Browser | undefined;
	try {
		await waitForHealth(origin);
		browser = await chromium.launch({
			executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--use-angle=swiftshader',
				'--enable-unsafe-swiftshader'
			]
		});
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
		await signIn(context, origin);

		const data = await (await context.request.get(`${origin}/yard/__data.json`)).body();
		const payload = { raw_kb: Math.round(data.byteLength / 1024), gzip_kb: Math.round(gzipSync(data).byteLength / 1024) };
		console.log(`payload /yard/__data.json: ${payload.raw_kb} KB raw, ${payload.gzip_kb} KB gzipped`);

		const renderTimes: number[] = [];
		for (let i = 0; i < renders; i++) {
			const page = await context.newPage();
			const started = Date.now();
			await openMap(page, origin);
			renderTimes.push(Date.now() - started);
			await page.close();
		}
		const render = summarise(renderTimes);
		console.log(`first render (navigation → every bay and vehicle drawn), ${renders} tabs: ${renderTimes.join(', ')} ms (p50 ${render.p50_ms})`);

		const open: Page[] = [];
		const opening = Date.now();
		for (let i = 0; i < maps; i++) {
			const page = await context.newPage();
			await openMap(page, origin);
			open.push(page);
		}
		console.log(`${maps} maps open in ${Math.round((Date.now() - opening) / 1000)} s`);

		const pool = getPool(database.url);
		const admin = (await db.query<{ id: string }>(`select id from auth.users where email = $1`, [ADMIN_EMAIL])).rows[0].id;
		const latencies: number[] = [];
		for (let i = 0; i < moves; i++) {
			const { rows } = await db.query<{ vehicle: string; plate: string; bay: string; number: string }>(
				`select v.id as vehicle, v.plate, b.id as bay, b.number
				 from public.vehicles v, public.bays b
				 where v.site_id = $1 and v.bay_id is not null and b.site_id = $1
				   and not exists (select 1 from public.vehicles o where o.bay_id = b.id)
				 order by random() limit 1`,
				[site.id]
			);
			const move = rows[0];
			// Handled from the start: a page failing must end the bench through `finally`, not crash it.
			const seen = Promise.all(open.map((page) => seenAt(page, move.number, move.plate)));
			seen.catch(() => {});
			const started = Date.now();
			await withUser(pool, { sub: admin, role: 'authenticated' }, (sql) => sql.query('select public.move_vehicle($1, $2)', [move.vehicle, move.bay]));
			const at = await seen;
			latencies.push(...at.map((t) => t - started));
			const round = summarise(at.map((t) => t - started));
			console.log(`move ${i + 1}: ${move.plate} → ${move.number}, seen by ${maps} maps, p50 ${round.p50_ms} ms, max ${Math.max(...at) - started} ms`);
		}
		const live = summarise(latencies);
		console.log(`live moves: ${moves} moves × ${maps} maps: p50 ${live.p50_ms} ms, p95 ${live.p95_ms} ms, max ${Math.max(...latencies)} ms`);
		console.log(
			JSON.stringify({
				bays: BAYS,
				vehicles: VEHICLES,
				payload,
				first_render: { tabs: renders, ...render, all_ms: renderTimes },
				live: { maps, moves, ...live, max_ms: Math.max(...latencies) }
			})
		);
	} finally {
		await browser?.close();
		server.kill('SIGTERM');
		await db.end();
		await closePools();
		await database.drop();
	}
}

/** The whole map drawn: MapLibre ready, every bay in its source, every parked vehicle over one. */
async function openMap(page: Page, origin: string): Promise<void> {
	await page.goto(`${origin}/yard`);
	await page.locator('[data-yard-map][data-map-state="ready"]').waitFor({ timeout: 120_000 });
	await page.waitForFunction(
		([bays, vehicles]) => {
			const el = document.querySelector('[data-yard-map]');
			return Number(el?.getAttribute('data-rendered-bays')) >= bays && Number(el?.getAttribute('data-rendered-vehicles')) >= vehicles;
		},
		[BAYS, VEHICLES],
		{ timeout: 120_000 }
	);
}

/** When (epoch ms, the same machine's clock) the page's plan shows `plate` in bay `number`. */
function seenAt(page: Page, number: string, plate: string): Promise<number> {
	// A string, not a function: the bench's transpiler would name inner functions with a helper
	// the page does not have.
	const selector = JSON.stringify(`[data-yard-zones] li[data-bay="${number}"][data-plate="${plate}"]`);
	return page.evaluate(`new Promise((resolve) => {
		const done = () => resolve(performance.timeOrigin + performance.now());
		if (document.querySelector(${selector})) return done();
		const observer = new MutationObserver(() => {
			if (!document.querySelector(${selector})) return;
			observer.disconnect();
			done();
		});
		observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-plate'] });
	})`) as Promise<number>;
}

async function signIn(context: BrowserContext, origin: string): Promise<void> {
	const page = await context.newPage();
	await page.goto(`${origin}/login`);
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await page.locator('#email').fill(ADMIN_EMAIL);
	await page.locator('#password').fill(PASSWORD);
	await page.locator('form button[type="submit"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await page.close();
}

/**
 * A hub of 2,000 bays in six zones side by side (reception at the gate, the storage park the
 * biggest), bays of 2.5 m × 5 m in rows of 40 with a 6 m aisle every two rows, and 1,500 of the
 * organisation's vehicles parked in them; the admin opens it by default.
 */
async function bigSite(db: pg.Client): Promise<{ id: string; code: string }> {
	const code = 'HUB-XXL';
	const [lat0, lon0] = [45.72, 4.98];
	const { rows } = await db.query<{ id: string }>(
		`insert into public.sites (organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 values ($1, $2, 'Hub XXL Saint-Priest', 'hub', 'Relais Logistique XXL SAS', '12345678900099', 'FR12123456789', '1 rue du Parc', '69800', 'Saint-Priest', $3, $4)
		 returning id`,
		[ORG, code, lat0, lon0]
	);
	const siteId = rows[0].id;
	const metres = (x: number, y: number): [number, number] => [lon0 + x / (111_320 * Math.cos((lat0 * Math.PI) / 180)), lat0 + y / 111_320];
	const rect = (x: number, y: number, w: number, h: number) => ({
		type: 'Polygon',
		coordinates: [[metres(x, y), metres(x + w, y), metres(x + w, y + h), metres(x, y + h), metres(x, y)]]
	});
	const zones: [kind: string, name: string, bays: number][] = [
		['reception', 'Réception', 200],
		['wash', 'Lavage', 150],
		['workshop', 'Atelier', 150],
		['bodywork', 'Carrosserie', 100],
		['ready', 'Prêts à partir', 200],
		['parking', 'Parc de stockage', 1_200]
	];
	const bays: { zone: string; number: string; geometry: object; rank: number }[] = [];
	const zoneRows: { code: string; name: string; kind: string; geometry: object }[] = [];
	let x0 = 0;
	let rank = 0;
	for (const [kind, name, count] of zones) {
		const zoneCode = kind.slice(0, 3).toUpperCase();
		const rowsOf = Math.ceil(count / 40);
		const height = rowsOf * 5 + Math.floor(rowsOf / 2) * 6 + 4;
		zoneRows.push({ code: zoneCode, name, kind, geometry: rect(x0, 0, 104, height) });
		for (let i = 0; i < count; i++) {
			const row = Math.floor(i / 40);
			const y = 2 + row * 5 + Math.floor(row / 2) * 6;
			bays.push({ zone: zoneCode, number: `${zoneCode}${String(i + 1).padStart(4, '0')}`, geometry: rect(x0 + 2 + (i % 40) * 2.5, y, 2.5, 5), rank: rank++ });
		}
		x0 += 112;
	}
	await db.query(
		`insert into public.yard_zones (site_id, code, name, kind, geometry)
		 select $1, z.code, z.name, z.kind::public.zone_kind, z.geometry from json_to_recordset($2::json) as z (code text, name text, kind text, geometry jsonb)`,
		[siteId, JSON.stringify(zoneRows)]
	);
	await db.query(
		`insert into public.bays (site_id, zone_id, number, geometry, rank)
		 select $1, z.id, b.number, b.geometry, b.rank
		 from json_to_recordset($2::json) as b (zone text, number text, geometry jsonb, rank int)
		 join public.yard_zones z on z.site_id = $1 and z.code = b.zone`,
		[siteId, JSON.stringify(bays)]
	);
	// Every other bay of the site in walking order gets a vehicle until 1,500 are parked.
	await db.query(
		`with parked as (
		   select b.id as bay_id, row_number() over (order by b.rank) as n
		   from public.bays b where b.site_id = $1 and (b.rank % 4 <> 3)
		   limit $3
		 ),
		 accounts as (select array_agg(id order by name) as ids from public.client_accounts where organisation_id = $2)
		 insert into public.vehicles (organisation_id, site_id, bay_id, client_account_id, vin, plate, make, model, energy, status, arrived_at)
		 select $2, $1, p.bay_id, a.ids[1 + p.n % array_length(a.ids, 1)],
		        'VF1BNCH' || lpad(p.n::text, 10, '0'), 'XL-' || lpad(p.n::text, 4, '0') || '-YB',
		        (array['Renault', 'Peugeot', 'Citroën', 'Volkswagen', 'Toyota'])[1 + p.n % 5], 'Modèle ' || (p.n % 12),
		        (array['petrol', 'diesel', 'electric', 'hybrid']::public.energy[])[1 + p.n % 4], 'on_site', now() - (p.n % 30) * interval '1 day'
		 from parked p, accounts a`,
		[siteId, ORG, VEHICLES]
	);
	await db.query(`update public.profiles set last_site_id = $1 where id = (select id from auth.users where email = $2)`, [siteId, ADMIN_EMAIL]);
	return { id: siteId, code };
}
