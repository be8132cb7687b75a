/**
 * Fan-out bench: N sockets spread over S sites (one staff member per site) in a child process;
 * vehicle updates committed at a steady rate at random sites; latency from the change's
 * committed_at (Postgres clock) to its arrival (same machine clock) for every delivery.
 *
 * Then the ceiling ("peer"): the same sockets receive a plain unfiltered `io.emit` from the same
 * server, with no database and no rooms. By default it emits at rate / sites, so that both runs
 * deliver the same number of events per second: each emit reaches every socket, and at the full
 * rate (2,000 sockets × 50/s = 100,000 deliveries/s) the one client process, not the server,
 * is what gets measured. `--peer-rate` sets it explicitly.
 *
 *   npm run bench -- fanout [--clients 2000] [--sites 20] [--rate 50] [--seconds 20] [--peer-rate r]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { issueLocalToken } from '../src/lib/server/auth/tokens';
import { ensureDatabase } from '../src/lib/server/boot';
import { getPool } from '../src/lib/server/db/pool';
import { createRealtime, type Realtime } from '../src/lib/server/realtime';
import type { FromClients, ToClients } from './fanout-clients';
import type { Latencies } from './stats';

const ORIGIN = 'http://bench.relais';
// After the last emit, how long to wait for every delivery before reporting the missing ones as late.
const DRAIN_TIMEOUT_MS = 30_000;

interface PhaseResult extends Latencies {
	changes: number;
	expected: number;
	events_per_s: number;
	rss_mb: number;
	/** CPU used by this process (server and committing), in % of one core. */
	cpu_percent: number;
}

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			clients: { type: 'string', default: '2000' },
			sites: { type: 'string', default: '20' },
			rate: { type: 'string', default: '50' },
			seconds: { type: 'string', default: '20' },
			'peer-rate': { type: 'string' }
		}
	});
	const clients = Number(values.clients);
	const sites = Number(values.sites);
	const rate = Number(values.rate);
	const seconds = Number(values.seconds);
	const peerRate = Number(values['peer-rate'] ?? rate / sites);

	const pool = getPool(await ensureDatabase(() => {}));
	const fixture = await createFixture(pool, sites);
	let realtime: Realtime | undefined;
	let child: ChildProcess | undefined;
	try {
		const server = http.createServer();
		realtime = await createRealtime(server, { pool, allowedOrigins: [ORIGIN], adapter: { kind: 'none' } });
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;

		child = fork(new URL('./fanout-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
		const ask = asker(child);
		console.log(`opening ${clients} sockets over ${sites} sites…`);
		const { perToken } = await ask({ type: 'open', port, origin: ORIGIN, tokens: fixture.tokens, clients }, 'opened');

		console.log(`filtered: ${rate} vehicle updates/s for ${seconds} s, routed to site rooms`);
		const filtered = await phase(ask, rate, seconds, async () => {
			const site = Math.floor(Math.random() * sites);
			const vehicles = fixture.vehicles[site];
			await pool.query('update public.vehicles set mileage_km = mileage_km + 1 where id = $1', [
				vehicles[Math.floor(Math.random() * vehicles.length)]
			]);
			return perToken[site];
		});
		report('filtered', filtered);

		console.log(`peer: io.emit to every socket, ${peerRate}/s for ${seconds} s, no database`);
		const io = realtime.io;
		const peer = await phase(ask, peerRate, seconds, async (i) => {
			io.emit('change', { id: i, table: 'vehicles', op: 'update', rowId: null, at: new Date().toISOString() });
			return clients;
		});
		report('peer', peer);

		const pick = ({ p50_ms, p95_ms, p99_ms, events_per_s, rss_mb }: PhaseResult) => ({ p50_ms, p95_ms, p99_ms, events_per_s, rss_mb });
		console.log(
			JSON.stringify({
				bench: 'fanout',
				clients,
				sites,
				changes: filtered.changes,
				deliveries: filtered.deliveries,
				...pick(filtered),
				peer: pick(peer)
			})
		);
	} finally {
		child?.disconnect();
		await realtime?.close();
		await fixture.drop();
	}
}

/** Sends a message to the client process and waits for its answer of type `reply`. */
function asker(child: ChildProcess) {
	return <T extends FromClients['type']>(message: ToClients, reply: T) =>
		new Promise<Extract<FromClients, { type: T }>>((resolve, reject) => {
			const onMessage = (answer: FromClients) => {
				if (answer.type !== reply) return;
				child.off('message', onMessage).off('exit', onExit);
				resolve(answer as Extract<FromClients, { type: T }>);
			};
			const onExit = (code: number | null) => reject(new Error(`the client process exited (${code}) before answering`));
			child.on('message', onMessage).once('exit', onExit);
			child.send(message);
		});
}

/**
 * Fires `fire` at a steady `rate` for `seconds` (each firing is due at its slot whatever the
 * previous one took), waits for every expected delivery, and returns the client's summary.
 * `fire` returns how many deliveries it should cause.
 */
async function phase(
	ask: ReturnType<typeof asker>,
	rate: number,
	seconds: number,
	fire: (i: number) => Promise<number>
): Promise<PhaseResult> {
	await ask({ type: 'reset' }, 'count');
	let rss = process.memoryUsage.rss();
	const cpu = process.cpuUsage();
	const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage.rss())), 100);
	const started = Date.now();
	const firing: Promise<number>[] = [];
	for (let i = 0; i < rate * seconds; i++) {
		const wait = started + (i * 1000) / rate - Date.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		firing.push(fire(i));
	}
	const expected = (await Promise.all(firing)).reduce((a, b) => a + b, 0);
	const deadline = Date.now() + DRAIN_TIMEOUT_MS;
	while ((await ask({ type: 'count' }, 'count')).deliveries < expected && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 100));
	}
	clearInterval(sampler);
	const { latencies, lastAt } = await ask({ type: 'report' }, 'report');
	const used = process.cpuUsage(cpu);
	return {
		cpu_percent: Math.round((used.user + used.system) / 10 / (Date.now() - started)),
		...latencies,
		changes: firing.length,
		expected,
		events_per_s: Math.round(latencies.deliveries / ((lastAt - started) / 1000)),
		rss_mb: Math.round(rss / 1024 / 1024)
	};
}

function report(name: string, r: PhaseResult) {
	const late = r.expected - r.deliveries;
	console.log(
		`${name}: ${r.changes} emits, ${r.deliveries}/${r.expected} deliveries${late ? ` (${late} not there ${DRAIN_TIMEOUT_MS / 1000} s after the last emit)` : ''}, ` +
			`p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms, ${r.events_per_s} deliveries/s, ` +
			`server RSS ${r.rss_mb} MB, server CPU ${r.cpu_percent}% of a core; machine load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`
	);
}

/**
 * A throw-away organisation `bench-<timestamp>`: `sites` sites, one operator per site, ten
 * vehicles per site; `drop()` removes it and the change log rows it caused.
 */
async function createFixture(pool: pg.Pool, sites: number) {
	const tag = `bench-${Date.now()}`;
	const orgId = randomUUID();
	const siteIds = Array.from({ length: sites }, () => randomUUID());
	const userIds = Array.from({ length: sites }, () => randomUUID());
	await pool.query('insert into public.organisations (id, name) values ($1, $2)', [orgId, tag]);
	await pool.query(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 select s.id, $2, 'B' || s.n, $3 || ' ' || s.n, 'hub', 'Bench SAS', '12345678900011', 'FR12123456789', '1 rue du Banc', '69000', 'Lyon', 45.7, 4.8
		   from unnest($1::uuid[]) with ordinality as s(id, n)`,
		[siteIds, orgId, tag]
	);
	await pool.query(
		`insert into auth.users (id, aud, role, email, encrypted_password)
		 select u, 'authenticated', 'authenticated', $2 || '-' || u || '@bench.relais', '' from unnest($1::uuid[]) as u`,
		[userIds, tag]
	);
	await pool.query(
		`insert into public.profiles (id, organisation_id, full_name, email)
		 select u, $2, 'Bench operator', $3 || '-' || u || '@bench.relais' from unnest($1::uuid[]) as u`,
		[userIds, orgId, tag]
	);
	await pool.query(
		`insert into public.memberships (organisation_id, user_id, site_id, role)
		 select $3, u.id, s.id, 'operator' from unnest($1::uuid[]) with ordinality as u(id, n)
		   join unnest($2::uuid[]) with ordinality as s(id, n) using (n)`,
		[userIds, siteIds, orgId]
	);
	const { rows } = await pool.query<{ id: string; site_id: string }>(
		`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy)
		 select $2, s, 'VF1' || lpad((row_number() over () + $3)::text, 14, '0'), 'Renault', 'Megane', 'diesel'
		   from unnest($1::uuid[]) as s, generate_series(1, 10)
		 returning id, site_id`,
		[siteIds, orgId, Date.now() % 1e9]
	);
	const vehicles = siteIds.map((site) => rows.filter((r) => r.site_id === site).map((r) => r.id));
	const tokens = await Promise.all(userIds.map(async (id) => (await issueLocalToken({ id, email: `${tag}-${id}@bench.relais` })).token));
	return {
		tokens,
		vehicles,
		async drop() {
			await pool.query('delete from public.organisations where id = $1', [orgId]);
			await pool.query('delete from auth.users where id = any($1::uuid[])', [userIds]);
			await pool.query('delete from public.change_log where site_ids && $1::uuid[] or user_id = any($2::uuid[])', [siteIds, userIds]);
		}
	};
}
