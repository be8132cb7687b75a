import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Change } from '../../../src/lib/realtime/events';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { createWorld, personas, testVin, type Persona, type World } from '../world';
import { connect, startNode, waitFor, type Client, type Node } from './helpers';

/**
 * Thousands of random changes across sites, client accounts and tables, received by several
 * sockets per persona: every delivered change must be selectable by its receiver (no leak), and
 * each persona must receive exactly the changes its routing keys call for (no loss, no
 * duplicate). The expected audience is computed here from the world's definition, not from
 * the server's routing code.
 */

const SOCKETS_PER_PERSONA = 3;
const LANES = 4;
const OPS_PER_LANE = 650;

/** What decides who hears of a change: the routing keys of the changed row. */
interface Keys {
	siteIds: string[];
	account: string | null;
	internal: boolean;
	userId: string | null;
}

let world: World;
let node: Node;
const clients = new Map<Persona, Client[]>();

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool);
});
afterAll(async () => {
	for (const list of clients.values()) for (const c of list) c.socket.close();
	await node.close();
	await closePools();
});

/** Deterministic randomness, so a failure replays identically. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

it('delivers every change to exactly the people allowed to read it', { timeout: 60_000 }, async () => {
	const { sites, clients: accounts, people, orgId, otherOrgId } = world;
	const q = (sql: pg.PoolClient | pg.Pool, text: string, values: unknown[]) => sql.query(text, values);

	// ── who should hear what, from the world's own definition ───────────────────────────────
	const orgSites = [sites.hub, sites.hub2, sites.dealer];
	const staffSites: Record<Persona, string[]> = {
		operator: [sites.hub],
		team_lead: [sites.hub],
		csm: [sites.hub],
		site_manager: [sites.hub],
		driver: [],
		sales: [sites.dealer],
		director: orgSites,
		admin: orgSites,
		operator_other_site: [sites.hub2],
		client: [],
		client_other_account: [],
		admin_other_org: [sites.otherOrg]
	};
	const clientOf: Partial<Record<Persona, string>> = { client: accounts.acme, client_other_account: accounts.beta };
	const hears = (p: Persona, k: Keys) =>
		k.siteIds.some((s) => staffSites[p].includes(s)) ||
		(!k.internal && k.account !== null && clientOf[p] === k.account) ||
		k.userId === people[p].id;

	// ── fixtures: catalogue, orders, threads, a first stock of vehicles ─────────────────────
	const orgOf = (site: string) => (site === sites.otherOrg ? otherOrgId : orgId);
	const accountsAt = (site: string) => (site === sites.otherOrg ? [null, accounts.otherOrg] : [null, accounts.acme, accounts.beta]);
	const allSites = [...orgSites, sites.otherOrg];
	const service = new Map<string, string>();
	const order = new Map<string, string>();
	const threads: { id: string; site: string; account: string | null }[] = [];
	const vehicles: { id: string; site: string; account: string | null }[] = [];
	for (const site of allSites) {
		const s = randomUUID();
		service.set(site, s);
		await q(world.pool, `insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'WASH', 'Lavage', 'Wash', 'wash', 30)`, [s, site]);
		for (const account of accountsAt(site)) {
			if (account) {
				const o = randomUUID();
				order.set(`${site}/${account}`, o);
				await q(world.pool, `insert into public.orders (id, site_id, client_account_id, reference, deadline) values ($1, $2, $3, $4, current_date + 7)`, [o, site, account, `CMD-${o.slice(0, 8)}`]);
			}
			const t = randomUUID();
			threads.push({ id: t, site, account });
			await q(world.pool, `insert into public.ticket_threads (id, site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, $3, 'vehicle', $4, 'Question')`, [t, site, account, randomUUID()]);
			for (let i = 0; i < 8; i++) {
				const v = randomUUID();
				vehicles.push({ id: v, site, account });
				await q(world.pool, `insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`, [v, orgOf(site), site, account, testVin()]);
			}
		}
	}
	const cursor = (await world.pool.query<{ id: number }>('select max(id) as id from public.change_log')).rows[0].id;

	// ── listeners: several sockets per persona ──────────────────────────────────────────────
	for (const p of personas) {
		clients.set(p, await Promise.all(Array.from({ length: SOCKETS_PER_PERSONA }, () => connect(node.port, people[p].token))));
	}

	// ── random changes, in concurrent lanes; a lane owns the rows it creates and updates ───
	const expected = new Map<Persona, number>(personas.map((p) => [p, 0]));
	const record = (k: Keys) => {
		for (const p of personas) if (hears(p, k)) expected.set(p, expected.get(p)! + 1);
	};
	const authorAt = (site: string) => (site === sites.otherOrg ? people.admin_other_org.id : people.site_manager.id);

	async function lane(index: number) {
		const rnd = random(1000 + index);
		const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
		const own = {
			vehicles: vehicles.filter((_, i) => i % LANES === index),
			tasks: [] as { id: string; site: string; account: string }[],
			transfers: [] as { id: string; keys: Keys }[]
		};
		const conveyed = new Set<string>();
		const db = await world.pool.connect();
		// Durability is not under test; waiting for each commit's flush only slows the run.
		await db.query('set synchronous_commit = off');
		async function change() {
			const roll = rnd();
			if (roll < 0.15) {
				const site = pick(allSites);
				const account = pick(accountsAt(site));
				const id = randomUUID();
				await q(db, `insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, $5, 'Peugeot', '208', 'electric')`, [id, orgOf(site), site, account, testVin()]);
				own.vehicles.push({ id, site, account });
				record({ siteIds: [site], account, internal: false, userId: null });
			} else if (roll < 0.45) {
				const v = pick(own.vehicles);
				await q(db, 'update public.vehicles set mileage_km = mileage_km + 1 where id = $1', [v.id]);
				record({ siteIds: [v.site], account: v.account, internal: false, userId: null });
			} else if (roll < 0.55) {
				const v = pick(own.vehicles.filter((x) => x.account));
				const id = randomUUID();
				await q(db, `insert into public.tasks (id, site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents) values ($1, $2, $3, $4, $5, $6, 30, 1500)`, [id, v.site, v.account, order.get(`${v.site}/${v.account}`), v.id, service.get(v.site)]);
				own.tasks.push({ id, site: v.site, account: v.account! });
				record({ siteIds: [v.site], account: v.account, internal: false, userId: null });
			} else if (roll < 0.65 && own.tasks.length) {
				const t = pick(own.tasks);
				await q(db, `update public.tasks set status = $2 where id = $1`, [t.id, pick(['planned', 'in_progress', 'done'])]);
				record({ siteIds: [t.site], account: t.account, internal: false, userId: null });
			} else if (roll < 0.8) {
				const t = pick(threads);
				const internal = rnd() < 0.4;
				await q(db, `insert into public.ticket_messages (thread_id, site_id, client_account_id, author_id, body, internal) values ($1, $2, $3, $4, 'Bonjour', $5)`, [t.id, t.site, t.account, authorAt(t.site), internal]);
				record({ siteIds: [t.site], account: t.account, internal, userId: null });
			} else if (roll < 0.9) {
				const userId = people[pick([...personas])].id;
				await q(db, `insert into public.notifications (user_id, kind, title) values ($1, 'task_done', 'Lavage terminé')`, [userId]);
				record({ siteIds: [], account: null, internal: false, userId });
			} else if (roll < 0.95 || !own.transfers.length) {
				const v = pick(own.vehicles.filter((x) => !conveyed.has(x.id)));
				const to = v.site === sites.otherOrg ? null : pick(orgSites.filter((s) => s !== v.site));
				const driver = rnd() < 0.5 ? people.driver.id : null;
				const id = randomUUID();
				await q(db, `insert into public.transfers (id, organisation_id, vehicle_id, from_site_id, to_site_id, client_account_id, delivery_address, reason, driver_id) values ($1, $2, $3, $4, $5, $6, $7, 'Rééquilibrage', $8)`, [id, orgOf(v.site), v.id, v.site, to, v.account, to ? null : '1 place Bellecour, Lyon', driver]);
				conveyed.add(v.id);
				const keys = { siteIds: to ? [v.site, to] : [v.site], account: v.account, internal: false, userId: driver };
				own.transfers.push({ id, keys });
				record(keys);
			} else {
				const t = pick(own.transfers);
				await q(db, `update public.transfers set status = 'approved' where id = $1`, [t.id]);
				record(t.keys);
			}
		}
		try {
			for (let n = 0; n < OPS_PER_LANE; ) {
				// One in twenty commits carries ten changes: several notifications in one transaction.
				const size = rnd() < 0.05 ? 10 : 1;
				if (size > 1) await db.query('begin');
				for (let b = 0; b < size; b++, n++) await change();
				if (size > 1) await db.query('commit');
			}
		} finally {
			await db.query('reset synchronous_commit');
			db.release();
		}
	}
	await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));

	// ── barrier: one last notification per persona, after every other change ───────────────
	const markers = new Map<Persona, string>();
	for (const p of personas) {
		const { rows } = await world.pool.query<{ id: string }>(`insert into public.notifications (user_id, kind, title) values ($1, 'marker', 'end') returning id`, [people[p].id]);
		markers.set(p, rows[0].id);
	}
	await waitFor('every socket to receive its marker', () =>
		personas.every((p) => clients.get(p)!.every((c) => c.changes.some((ch) => ch.rowId === markers.get(p))))
	, 30_000);

	// ── no leak: every delivery is a row its receiver may select ────────────────────────────
	const markerIds = new Set(markers.values());
	let total = 0;
	for (const p of personas) {
		const received = clients.get(p)!.flatMap((c) => c.changes);
		const byTable = new Map<string, Set<string>>();
		for (const ch of received) {
			expect(ch.rowId, `${p} got a change without a row`).toBeTruthy();
			byTable.set(ch.table, (byTable.get(ch.table) ?? new Set()).add(ch.rowId!));
		}
		for (const [table, ids] of byTable) {
			expect(table).toMatch(/^[a-z_]+$/);
			const visible = await withUser(world.pool, people[p].claims, async (sql) => {
				const { rows } = await sql.query<{ id: string }>(`select id from public.${table} where id = any($1::uuid[])`, [[...ids]]);
				return new Set(rows.map((r) => r.id));
			});
			const leaked = [...ids].filter((id) => !visible.has(id));
			expect(leaked, `${p} was told of ${table} rows it cannot read`).toEqual([]);
		}
		// ── no loss, no duplicate: exactly the expected audience ─────────────────────────────
		for (const c of clients.get(p)!) {
			const ids = c.changes.map((ch: Change) => ch.id);
			expect(new Set(ids).size, `${p} got a change twice`).toBe(ids.length);
		}
		const counted = received.filter((ch) => ch.id > cursor && !markerIds.has(ch.rowId!)).length;
		expect(counted, `deliveries to ${p}`).toBe(expected.get(p)! * SOCKETS_PER_PERSONA);
		expect(expected.get(p), `${p} should have heard something`).toBeGreaterThan(0);
		total += counted;
	}
	expect(total).toBeGreaterThan(10_000);
});
