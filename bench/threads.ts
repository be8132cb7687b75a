/**
 * Threads bench: 500 open ticket threads followed by 1,000 connected people (client users on
 * their account's threads, CSMs on threads of their site), in a child process. Messages are
 * posted at a steady rate into random threads, each as one of its participants inside a
 * transaction as that person (RLS decides), a tenth of them internal notes by staff. Reported:
 * send-to-receive latency (commit to arrival) over every delivery, followers who never heard of
 * a message, and client sockets that heard of an internal note (must be 0).
 *
 * Then the notification queue: a reply notification to every client user of `--notified`
 * threads goes through notify() (visibility checked as each recipient, preferences, queued in
 * Postgres), and the delivery worker sends the queued emails to a local SMTP server; reported:
 * notifications queued per second and emails sent per second until the queue is empty.
 *
 *   npm run bench -- threads [--threads 500] [--people 1000] [--rate 50] [--seconds 20] [--notified 250]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { issueLocalToken, verifyAccessToken } from '../src/lib/server/auth/tokens';
import { ensureDatabase } from '../src/lib/server/boot';
import { getPool, withUser } from '../src/lib/server/db/pool';
import { notify } from '../src/lib/server/notify';
import { smtpSender } from '../src/lib/server/notify/email';
import { startDevSmtp } from '../src/lib/server/notify/mailbox';
import { createDeliveryWorker } from '../src/lib/server/notify/worker';
import { createRealtime, type Realtime } from '../src/lib/server/realtime';
import type { FromClients, Person, ToClients } from './threads-clients';

const ORIGIN = 'http://bench.relais';
const SITES = 5;
const CLIENTS_PER_ACCOUNT = 8;
const THREADS_PER_ACCOUNT = 5;
/** A socket follows at most this many threads (the server's cap is 20). */
const STAFF_FOLLOWS = 20;
// After the last message: stop waiting once nothing new arrived for this long.
const QUIET_MS = 3_000;

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			threads: { type: 'string', default: '500' },
			people: { type: 'string', default: '1000' },
			rate: { type: 'string', default: '50' },
			seconds: { type: 'string', default: '20' },
			notified: { type: 'string', default: '250' }
		}
	});
	const threads = Number(values.threads);
	const people = Number(values.people);
	const rate = Number(values.rate);
	const seconds = Number(values.seconds);

	const pool = getPool(await ensureDatabase(() => {}));
	console.log(`seeding ${threads} threads and ${people} people over ${SITES} sites…`);
	const fixture = await createFixture(pool, threads, people);
	let realtime: Realtime | undefined;
	let child: ChildProcess | undefined;
	try {
		const server = http.createServer();
		realtime = await createRealtime(server, { pool, allowedOrigins: [ORIGIN], adapter: { kind: 'none' } });
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;

		child = fork(new URL('./threads-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
		const ask = asker(child);
		let started = Date.now();
		const opened = await ask({ type: 'open', port, origin: ORIGIN, people: fixture.people }, 'opened');
		console.log(`${opened.sockets} sockets, ${opened.follows} thread follows (${opened.refused} refused) in ${Date.now() - started} ms`);
		if (opened.refused) throw new Error('a person was refused a thread they take part in');

		console.log(`posting ${rate} messages/s for ${seconds} s (a tenth internal notes)…`);
		await ask({ type: 'reset' }, 'count');
		const posted: { id: string; threadId: string; internal: boolean }[] = [];
		const cpu = process.cpuUsage();
		let rss = process.memoryUsage.rss();
		const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage.rss())), 100);
		started = Date.now();
		const posting: Promise<void>[] = [];
		for (let i = 0; i < rate * seconds; i++) {
			const wait = started + (i * 1000) / rate - Date.now();
			if (wait > 0) await new Promise((r) => setTimeout(r, wait));
			posting.push(post(pool, fixture, i).then((message) => void posted.push(message)));
		}
		await Promise.all(posting);
		let last = -1;
		let lastChange = Date.now();
		for (;;) {
			const { deliveries } = await ask({ type: 'count' }, 'count');
			if (deliveries !== last) [last, lastChange] = [deliveries, Date.now()];
			else if (Date.now() - lastChange > QUIET_MS) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		clearInterval(sampler);
		const used = process.cpuUsage(cpu);
		const report = await ask({ type: 'report' }, 'report');

		// Every follower allowed to read a message heard of it; no client heard of an internal note.
		let missing = 0;
		let leaks = 0;
		for (const message of posted) {
			const heard = new Set(report.sightings[message.id] ?? []);
			for (const index of fixture.followers.get(message.threadId) ?? []) {
				const allowed = !(message.internal && fixture.people[index].client);
				if (allowed && !heard.has(index)) missing++;
				if (!allowed && heard.has(index)) leaks++;
			}
		}
		const cpuPercent = Math.round((used.user + used.system) / 10 / (Date.now() - started));
		const queue = await benchQueue(pool, fixture, Number(values.notified));
		const r = report.latencies;
		const result = {
			bench: 'threads',
			threads,
			people: opened.sockets,
			messages: posted.length,
			deliveries: r.deliveries,
			p50_ms: r.p50_ms,
			p95_ms: r.p95_ms,
			p99_ms: r.p99_ms,
			missing,
			internal_leaks: leaks,
			server_cpu_percent: cpuPercent,
			rss_mb: Math.round(rss / 1024 / 1024),
			queue
		};
		console.log(
			`messages: ${posted.length} posted, ${r.deliveries} deliveries, send-to-receive p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms; ` +
				`${missing} follower deliveries missing, ${leaks} internal notes heard by a client; server CPU ${result.server_cpu_percent}% of a core, ` +
				`RSS ${result.rss_mb} MB; machine load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`
		);
		console.log(
			`notification queue: ${queue.notifications} notifications (${queue.deliveries} emails queued) in ${queue.enqueue_ms} ms (${queue.queued_per_s}/s); ` +
				`worker sent ${queue.sent} in ${queue.drain_ms} ms (${queue.sent_per_s}/s) through a local SMTP server`
		);
		console.log(JSON.stringify(result));
	} finally {
		child?.disconnect();
		await realtime?.close();
		await fixture.drop();
	}
}

/**
 * Queues a reply notification to the client users of the first `count` threads, then lets one
 * delivery worker send the emails to a local SMTP server until none is queued.
 */
async function benchQueue(pool: pg.Pool, fixture: Fixture, count: number) {
	const threads = fixture.threads.slice(0, count);
	const recipients = new Set(threads.flatMap((t) => fixture.clientsOf.get(t.accountId)!.map((p) => p.id)));
	const queued = async () =>
		(await pool.query<{ n: number }>(`select count(*)::int as n from public.notification_deliveries where user_id = any($1::uuid[]) and status = 'queued'`, [[...recipients]]))
			.rows[0].n;

	let started = Date.now();
	let notifications = 0;
	// Ten at a time, as ten app requests would.
	for (let i = 0; i < threads.length; i += 10) {
		const done = await Promise.all(
			threads.slice(i, i + 10).map((t) =>
				notify(pool, {
					kind: 'ticket_reply',
					recipients: fixture.clientsOf.get(t.accountId)!.map((p) => p.id),
					subject: { table: 'ticket_threads', id: t.id },
					title: { fr: 'Nouveau message : Bench thread', en: 'New message: Bench thread' },
					body: { fr: 'Votre véhicule est prêt.', en: 'Your vehicle is ready.' },
					link: `/portal/threads/${t.id}`
				})
			)
		);
		notifications += done.reduce((n, d) => n + d.notified.length, 0);
	}
	const enqueueMs = Date.now() - started;
	const deliveries = await queued();

	const dir = await mkdtemp(path.join(os.tmpdir(), 'relais-bench-mail-'));
	const smtp = await startDevSmtp({ dir });
	// As startNotifications wires it (src/lib/server/notify/start.ts), polling faster.
	const email = smtpSender({ url: smtp.url, from: 'bench@relais.local', origin: ORIGIN });
	const worker = createDeliveryWorker({ pool, senders: { email: email.send }, pollMs: 20, log: (line) => console.log(line) });
	started = Date.now();
	worker.start();
	while ((await queued()) > 0 && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
	const drainMs = Date.now() - started;
	await worker.stop();
	email.close();
	await smtp.close();
	await rm(dir, { recursive: true, force: true });
	const { rows } = await pool.query<{ n: number }>(
		`select count(*)::int as n from public.notification_deliveries where user_id = any($1::uuid[]) and status = 'sent'`,
		[[...recipients]]
	);
	return {
		notifications,
		deliveries,
		enqueue_ms: enqueueMs,
		queued_per_s: Math.round((notifications * 1000) / enqueueMs),
		sent: rows[0].n,
		drain_ms: drainMs,
		sent_per_s: Math.round((rows[0].n * 1000) / drainMs)
	};
}

/** Posts message `i` into a random thread as one of its participants, as that person. */
async function post(pool: pg.Pool, fixture: Fixture, i: number) {
	const thread = fixture.threads[Math.floor(Math.random() * fixture.threads.length)];
	const internal = i % 10 === 9;
	const authors = internal || Math.random() < 0.5 ? fixture.staffOf.get(thread.siteId)! : fixture.clientsOf.get(thread.accountId)!;
	const author = authors[Math.floor(Math.random() * authors.length)];
	const id = await withUser(pool, author.claims, async (sql) => {
		const { rows } = await sql.query<{ id: string }>(
			`insert into public.ticket_messages (thread_id, site_id, client_account_id, body, internal) values ($1, $2, $3, $4, $5) returning id`,
			[thread.id, thread.siteId, thread.accountId, `Message ${i}`, internal]
		);
		await sql.query('update public.ticket_threads set last_message_at = now() where id = $1', [thread.id]);
		return rows[0].id;
	});
	return { id, threadId: thread.id, internal };
}

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

type Fixture = Awaited<ReturnType<typeof createFixture>>;

/**
 * A throw-away organisation: SITES sites; client accounts of CLIENTS_PER_ACCOUNT users with
 * THREADS_PER_ACCOUNT threads each (at the account's site); the rest of `people` are CSMs spread
 * over the sites, each following STAFF_FOLLOWS threads of their site. `drop()` removes it all.
 */
async function createFixture(pool: pg.Pool, threadCount: number, peopleCount: number) {
	const tag = `bench-${Date.now()}`;
	const orgId = randomUUID();
	const siteIds = Array.from({ length: SITES }, () => randomUUID());
	const accounts = Math.ceil(threadCount / THREADS_PER_ACCOUNT);
	const clientCount = accounts * CLIENTS_PER_ACCOUNT;
	const staffCount = peopleCount - clientCount;
	if (staffCount < SITES) throw new Error(`${peopleCount} people leave too few staff for ${accounts} accounts of ${CLIENTS_PER_ACCOUNT}`);
	const accountIds = Array.from({ length: accounts }, () => randomUUID());
	const accountSite = (a: number) => siteIds[a % SITES];
	const userIds = Array.from({ length: peopleCount }, () => randomUUID());
	const clientIds = userIds.slice(0, clientCount);
	const staffIds = userIds.slice(clientCount);

	await pool.query('insert into public.organisations (id, name) values ($1, $2)', [orgId, tag]);
	await pool.query(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 select s.id, $2, 'T' || s.n, $3 || ' ' || s.n, 'hub', 'Bench SAS', '12345678900011', 'FR12123456789', '1 rue du Banc', '69000', 'Lyon', 45.7, 4.8
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
		 select u, $2, 'Bench person', $3 || '-' || u || '@bench.relais' from unnest($1::uuid[]) as u`,
		[userIds, orgId, tag]
	);
	await pool.query(
		`insert into public.memberships (organisation_id, user_id, site_id, role)
		 select $3, u.id, ($2::uuid[])[1 + (u.n - 1) % array_length($2::uuid[], 1)], 'csm' from unnest($1::uuid[]) with ordinality as u(id, n)`,
		[staffIds, siteIds, orgId]
	);
	await pool.query(
		`insert into public.client_accounts (id, organisation_id, name) select a.id, $2, $3 || ' client ' || a.n from unnest($1::uuid[]) with ordinality as a(id, n)`,
		[accountIds, orgId, tag]
	);
	await pool.query(
		`insert into public.client_members (client_account_id, user_id)
		 select ($2::uuid[])[1 + (u.n - 1) / $3], u.id from unnest($1::uuid[]) with ordinality as u(id, n)`,
		[clientIds, accountIds, CLIENTS_PER_ACCOUNT]
	);
	const threads = Array.from({ length: threadCount }, (_, t) => {
		const a = Math.floor(t / THREADS_PER_ACCOUNT);
		return { id: randomUUID(), siteId: accountSite(a), accountId: accountIds[a] };
	});
	await pool.query(
		`insert into public.ticket_threads (id, site_id, client_account_id, subject_type, subject_id, title)
		 select t.id, t.site, t.account, 'order', gen_random_uuid(), 'Bench thread' from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as t(id, site, account)`,
		[threads.map((t) => t.id), threads.map((t) => t.siteId), threads.map((t) => t.accountId)]
	);

	const tokenOf = async (id: string) => (await issueLocalToken({ id, email: `${tag}-${id}@bench.relais` })).token;
	const tokens = await Promise.all(userIds.map(tokenOf));
	const claims = await Promise.all(tokens.map(async (token) => (await verifyAccessToken(token))!));
	const person = (i: number) => ({ id: userIds[i], claims: claims[i] });

	// Who follows what, by index in `people`.
	const followers = new Map<string, number[]>(threads.map((t) => [t.id, []]));
	const people: Person[] = userIds.map((_, i) => ({ token: tokens[i], client: i < clientCount, threads: [] }));
	for (let i = 0; i < clientCount; i++) {
		const a = Math.floor(i / CLIENTS_PER_ACCOUNT);
		for (const t of threads.filter((t) => t.accountId === accountIds[a])) {
			people[i].threads.push(t.id);
			followers.get(t.id)!.push(i);
		}
	}
	const staffOf = new Map<string, { id: string; claims: (typeof claims)[number] }[]>(siteIds.map((s) => [s, []]));
	for (let s = 0; s < staffCount; s++) {
		const i = clientCount + s;
		const site = siteIds[s % SITES];
		staffOf.get(site)!.push(person(i));
		const ofSite = threads.filter((t) => t.siteId === site);
		for (let k = 0; k < Math.min(STAFF_FOLLOWS, ofSite.length); k++) {
			const t = ofSite[(s * 7 + k) % ofSite.length];
			if (people[i].threads.includes(t.id)) continue;
			people[i].threads.push(t.id);
			followers.get(t.id)!.push(i);
		}
	}
	const clientsOf = new Map(accountIds.map((a, k) => [a, clientIds.slice(k * CLIENTS_PER_ACCOUNT, (k + 1) * CLIENTS_PER_ACCOUNT).map((_, j) => person(k * CLIENTS_PER_ACCOUNT + j))]));

	return {
		people,
		threads,
		followers,
		staffOf,
		clientsOf,
		async drop() {
			// Threads hold their site (no cascade): they go first, their messages with them.
			await pool.query('delete from public.ticket_threads where site_id = any($1::uuid[])', [siteIds]);
			await pool.query('delete from public.organisations where id = $1', [orgId]);
			await pool.query('delete from auth.users where id = any($1::uuid[])', [userIds]);
			await pool.query('delete from public.change_log where site_ids && $1::uuid[] or user_id = any($2::uuid[])', [siteIds, userIds]);
		}
	};
}
