import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type JwtClaims } from '../../../src/lib/server/db/pool';
import { createWorld, personas, type Person } from '../world';
import { actAs, asOwnerRolledBack, attempt, isDenial, rolledBack, visible } from './executor';
import { tables, type SiteKey } from './expectations';
import { createRlsFixture, type RlsFixture } from './fixture';
import { allTargets, specs, sql } from './tables';

/**
 * What a KPI wall device reads, which the matrix (people only) cannot say: a device signs in
 * with claims `{ sub: <device id>, role: 'authenticated', relais_device: true }` and reads the
 * KPI day rows of its site (of every site of its organisation when it has none), revenue only
 * when it shows money, nothing once revoked, and nothing else. The same claims without
 * `relais_device`, or a person's claims with it, open nothing. And nobody signed in rebuilds
 * the aggregates.
 */

let fx: RlsFixture;

const kpiTables = ['kpi_vehicle_days', 'kpi_task_days', 'kpi_invoice_days'] as const;
type KpiTable = (typeof kpiTables)[number];
type Seen = Record<KpiTable, SiteKey[]>;

interface DeviceShape {
	org: 'org' | 'otherOrg';
	/** null: every site of the organisation. */
	site: SiteKey | null;
	showsMoney: boolean;
	revoked?: boolean;
}

// The fixture's own device of each site shows no money (fixture.ts); these cover the rest.
const shapes = {
	hubMoney: { org: 'org', site: 'hub', showsMoney: true },
	orgWide: { org: 'org', site: null, showsMoney: true },
	orgWideNoMoney: { org: 'org', site: null, showsMoney: false },
	revoked: { org: 'org', site: null, showsMoney: true, revoked: true },
	otherOrgWide: { org: 'otherOrg', site: null, showsMoney: true }
} as const satisfies Record<string, DeviceShape>;
type DeviceKey = keyof typeof shapes | 'hub';
const devices = {} as Record<DeviceKey, string>;

beforeAll(async () => {
	fx = await createRlsFixture(await createWorld(inject('databaseUrl')));
	devices.hub = fx.at.hub.device;
	for (const [key, shape] of Object.entries(shapes) as [keyof typeof shapes, DeviceShape][]) {
		const { rows } = await fx.world.pool.query<{ id: string }>(
			`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels, shows_money, revoked_at)
			 values ($1, $2, $3, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), '{headline}', $4, case when $5 then now() end) returning id`,
			[fx.orgIds[shape.org], shape.site ? fx.siteIds[shape.site] : null, key, shape.showsMoney, shape.revoked ?? false]
		);
		devices[key] = rows[0].id;
	}
});
afterAll(() => closePools());

/** Someone signed in with these claims (what executor.ts needs of a person). */
const signedIn = (claims: JwtClaims): Person => ({ id: claims.sub, email: '', token: '', claims });
const wall = (key: DeviceKey): Person => signedIn({ sub: devices[key], role: 'authenticated', relais_device: true });
const withClaims = (person: Person, extra: Record<string, unknown>): Person => signedIn({ ...person.claims, ...extra });

const siteKeys = ['hub', 'hub2', 'dealer', 'otherOrg'] as const satisfies SiteKey[];
const keyOf = (siteId: string) => siteKeys.find((key) => fx.siteIds[key] === siteId) ?? `unknown site ${siteId}`;
const allSites = () => siteKeys.map((key) => fx.siteIds[key]);

/** The fixture's sites whose KPI day rows the person reads, table by table (one row per site and table). */
async function kpiSeen(person: Person): Promise<Seen> {
	const seen = {} as Seen;
	for (const table of kpiTables) {
		const ids = await visible(fx.world.pool, person, table, 'site_id', allSites());
		seen[table] = [...ids].map(keyOf).sort() as SiteKey[];
	}
	return seen;
}

const nothing: Seen = { kpi_vehicle_days: [], kpi_task_days: [], kpi_invoice_days: [] };
const days = (sites: SiteKey[], money: boolean): Seen => {
	const sorted = [...sites].sort();
	return { kpi_vehicle_days: sorted, kpi_task_days: sorted, kpi_invoice_days: money ? sorted : [] };
};
const ourSites: SiteKey[] = ['hub', 'hub2', 'dealer'];

describe('the fixture gives every site one row of each KPI table, read by its readers', () => {
	it('the triggers made the rows', async () => {
		for (const table of kpiTables) {
			const { rows } = await fx.world.pool.query<{ site_id: string; n: number }>(
				`select site_id::text, count(*)::int as n from public.${table} where site_id = any($1::uuid[]) group by site_id`,
				[allSites()]
			);
			expect(rows.map((r) => [keyOf(r.site_id), r.n]).sort(), table).toEqual(siteKeys.map((key) => [key, 1]).sort());
		}
	});

	// The matrix checks each reader at home; here, the whole reach of the three roles.
	it.each([
		['site_manager', days(['hub'], true)],
		['director', days(ourSites, true)],
		['admin', days(ourSites, true)],
		['admin_other_org', days(['otherOrg'], true)]
	] as const)('%s reads the days and revenue of the sites they manage', async (persona, expected) => {
		expect(await kpiSeen(fx.world.people[persona])).toEqual(expected);
	});

	it.each(personas.filter((p) => !['site_manager', 'director', 'admin', 'admin_other_org'].includes(p)))(
		'%s reads no KPI row at any site',
		async (persona) => {
			expect(await kpiSeen(fx.world.people[persona])).toEqual(nothing);
		}
	);
});

describe('a wall device reads the KPIs of what it shows', () => {
	it("a site's device reads that site's days, revenue only when it shows money", async () => {
		expect(await kpiSeen(wall('hub'))).toEqual(days(['hub'], false));
		expect(await kpiSeen(wall('hubMoney'))).toEqual(days(['hub'], true));
	});

	it("an organisation's device reads every site of its organisation, none of another's", async () => {
		expect(await kpiSeen(wall('orgWide'))).toEqual(days(ourSites, true));
		expect(await kpiSeen(wall('orgWideNoMoney'))).toEqual(days(ourSites, false));
		expect(await kpiSeen(wall('otherOrgWide'))).toEqual(days(['otherOrg'], true));
	});

	it('a revoked device reads nothing', async () => {
		expect(await kpiSeen(wall('revoked'))).toEqual(nothing);
	});

	it("an admin's revocation ends the device's reading at once", async () => {
		const { pool, people } = fx.world;
		const device = wall('orgWide');
		const [before, revoked, after] = await rolledBack(pool, people.admin, async (tx) => {
			const read = async () => {
				const { rows } = await tx.query<{ site_id: string }>(
					`select site_id::text from public.kpi_invoice_days where site_id = any($1::uuid[])`,
					[allSites()]
				);
				return rows.map((r) => keyOf(r.site_id)).sort();
			};
			await actAs(tx, device);
			const before = await read();
			await actAs(tx, people.admin);
			const { rowCount } = await tx.query(
				`update public.kpi_devices set revoked_at = now(), revoked_by = auth.uid() where id = $1 and revoked_at is null`,
				[device.id]
			);
			await actAs(tx, device);
			return [before, rowCount, await read()];
		});
		expect(before).toEqual([...ourSites].sort());
		expect(revoked).toBe(1);
		expect(after).toEqual([]);
		// Rolled back: the device still reads.
		expect((await kpiSeen(device)).kpi_invoice_days).toEqual([...ourSites].sort());
	});

	it('the states at a period\'s end: the device\'s sites only, amounts only when it shows money', async () => {
		const states = async (person: Person) =>
			(
				await withUser(fx.world.pool, person.claims, (tx) =>
					tx.query<{ site_id: string | null; overdue_invoices: number | null; overdue_cents: number | null }>(
						`select site_id::text, overdue_invoices, overdue_cents from private.kpi_states($1::uuid[], '2026-03-31')`,
						[allSites()]
					)
				)
			).rows
				.map((r) => ({ site: r.site_id ? keyOf(r.site_id) : 'total', money: r.overdue_cents !== null }))
				.sort((a, b) => a.site.localeCompare(b.site));
		expect(await states(wall('hub'))).toEqual([
			{ site: 'hub', money: false },
			{ site: 'total', money: false }
		]);
		expect(await states(wall('hubMoney'))).toEqual([
			{ site: 'hub', money: true },
			{ site: 'total', money: true }
		]);
		expect(await states(wall('revoked'))).toEqual([]);
		expect(await states(withClaims(wall('orgWide'), { relais_device: undefined }))).toEqual([]);
	});
});

describe('nothing but a device that is not revoked is a device', () => {
	it.each([
		['without relais_device', { relais_device: undefined }],
		['with relais_device false', { relais_device: false }],
		['with relais_device "false"', { relais_device: 'false' }]
	] as const)("a device's claims %s read nothing", async (_name, extra) => {
		for (const key of ['hub', 'hubMoney', 'orgWide'] as const) {
			expect(await kpiSeen(withClaims(wall(key), extra)), key).toEqual(nothing);
		}
	});

	it.each(personas.filter((p) => !['site_manager', 'director', 'admin', 'admin_other_org'].includes(p)))(
		"%s with relais_device in their claims still reads no KPI row",
		async (persona) => {
			expect(await kpiSeen(withClaims(fx.world.people[persona], { relais_device: true }))).toEqual(nothing);
		}
	);

	it('an id that is no device reads nothing', async () => {
		expect(await kpiSeen(signedIn({ sub: randomUUID(), role: 'authenticated', relais_device: true }))).toEqual(nothing);
	});
});

/** Every site of the device's organisation when it has no site of its own, else its site. */
async function sitesShown(key: DeviceKey): Promise<string[]> {
	const { rows } = await fx.world.pool.query<{ id: string }>(
		`select s.id::text from public.kpi_devices d join public.sites s on s.organisation_id = d.organisation_id and (d.site_id is null or d.site_id = s.id)
		 where d.id = $1`,
		[devices[key]]
	);
	return rows.map((r) => r.id);
}

describe('a wall device reads and writes nothing else', () => {
	it.each(tables.filter((t) => !(kpiTables as readonly string[]).includes(t)))('%s', async (table) => {
		const { key } = specs[table];
		const ids = [...new Set(allTargets(fx, table).flatMap((t) => [t.id, t.deleteId]))];
		if (table === 'kpi_devices') ids.push(...Object.values(devices));
		for (const device of ['orgWide', 'hubMoney'] as const) {
			const seen = await visible(fx.world.pool, wall(device), table, key, ids);
			// It reads the sites it shows (their name and time zone), no other.
			const shown = table === 'sites' ? await sitesShown(device) : [];
			expect([...seen].filter((id) => !shown.includes(id)), `${device} reads ${table}`).toEqual([]);
		}
	});

	it('it cannot create, change, un-revoke or delete a device, nor write a KPI row', async () => {
		const { pool } = fx.world;
		const statements = [
			sql(
				`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels) values ($1, null, 'Rogue', repeat('a', 64), '{headline}')`,
				fx.orgIds.org
			),
			sql(`update public.kpi_devices set shows_money = true where id = $1`, devices.hub),
			sql(`update public.kpi_devices set revoked_at = null where id = $1`, devices.revoked),
			sql(`insert into public.kpi_vehicle_days (site_id, day, processed) values ($1, '2031-01-01', 1)`, fx.siteIds.hub),
			sql(`update public.kpi_invoice_days set revenue_cents = 0 where site_id = $1`, fx.siteIds.hub)
		];
		for (const device of ['hub', 'orgWide', 'revoked'] as const) {
			for (const statement of statements) {
				const outcome = await attempt(pool, wall(device), statement);
				expect(outcome.allowed, `${device}: ${statement.text}`).toBe(false);
			}
		}
		for (const device of ['hub', 'orgWide'] as const) {
			const outcome = await attempt(pool, wall(device), sql(`delete from public.kpi_devices where id = $1`, devices[device]));
			expect(outcome.allowed, `${device} deletes itself`).toBe(false);
		}
	});
});

describe('private.kpi_rebuild is the service\'s', () => {
	it('authenticated (and anon, and public) hold no execute privilege on it', async () => {
		const { rows } = await fx.world.pool.query<{ role: string; may: boolean }>(
			`select r as role, has_function_privilege(r, 'private.kpi_rebuild(uuid[])', 'execute') as may
			 from unnest(array['authenticated', 'anon', 'public', 'service_role']) r`
		);
		expect(Object.fromEntries(rows.map((r) => [r.role, r.may]))).toEqual({ authenticated: false, anon: false, public: false, service_role: true });
	});

	const everyone: [string, () => Person][] = [
		...personas.map((p): [string, () => Person] => [p, () => fx.world.people[p]]),
		['a wall device', () => wall('orgWide')]
	];
	it.each(everyone)('%s: permission denied', async (_name, who) => {
		for (const call of ['select private.kpi_rebuild($1::uuid[])', 'select private.kpi_rebuild(null)']) {
			const values = call.includes('$1') ? [[fx.siteIds.hub]] : [];
			const err = await withUser(fx.world.pool, who().claims, (tx) => tx.query(call, values)).then(
				() => null,
				(e: unknown) => e
			);
			expect(isDenial(err), `${call}: ${err instanceof Error ? err.message : 'allowed'}`).toBe(true);
			expect((err as Error).message).toMatch(/permission denied for function kpi_rebuild/);
		}
	});

	it('the service role may (the denial is the role, not the call)', async () => {
		await asOwnerRolledBack(fx.world.pool, async (tx) => {
			await tx.query(`set local role service_role`);
			await tx.query('select private.kpi_rebuild($1::uuid[])', [[fx.siteIds.hub]]);
			const { rows } = await tx.query(`select count(*)::int as n from public.kpi_vehicle_days where site_id = $1`, [fx.siteIds.hub]);
			expect(rows[0].n).toBe(1);
		});
	});
});
