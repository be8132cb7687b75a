import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { closePools, getPool } from '../../../src/lib/server/db/pool';
import { asOwnerRolledBack } from './executor';

/**
 * Schema-wide guards, read from pg_catalog: every table of `public` (what Supabase exposes)
 * has row-level security and at least one policy, `anon` holds no privilege on anything there,
 * nobody signed in may TRUNCATE (which skips row-level security), and no view reads tables
 * with its owner's rights. Each detector is first shown to catch a deliberately bad table.
 */

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const relations = (kinds: string) => `
	select c.oid, c.relname
	from pg_catalog.pg_class c
	join pg_catalog.pg_namespace n on n.oid = c.relnamespace
	where n.nspname = 'public' and c.relkind in (${kinds})`;
const tables = relations(`'r', 'p'`);
// Tables, views, materialized views and foreign tables: everything a grant can expose.
const readables = relations(`'r', 'p', 'v', 'm', 'f'`);

async function names(db: Queryable, text: string): Promise<string[]> {
	const { rows } = await db.query<{ relname: string }>(`select relname from (${text}) t order by relname`);
	return rows.map((r) => r.relname);
}

const detectors = {
	tablesWithoutRls: (db: Queryable) =>
		names(db, `${tables} and not c.relrowsecurity`),
	tablesWithoutPolicy: (db: Queryable) =>
		names(db, `${tables} and not exists (select 1 from pg_catalog.pg_policy p where p.polrelid = c.oid)`),
	grantedToAnon: (db: Queryable) =>
		names(
			db,
			`${readables} and (has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
			               or has_any_column_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))`
		),
	truncatableBySignedIn: (db: Queryable) => names(db, `${readables} and has_table_privilege('authenticated', c.oid, 'TRUNCATE')`),
	// A view runs with its owner's rights, so it skips the policies of the tables it reads,
	// unless created with security_invoker; a materialized view has no policies at all.
	viewsBypassingRls: (db: Queryable) =>
		names(
			db,
			`${relations(`'v', 'm'`)}
			 and has_table_privilege('authenticated', c.oid, 'SELECT')
			 and (c.relkind = 'm' or not exists (
			   select 1 from unnest(coalesce(c.reloptions, '{}')) o where lower(o) ~ '^security_invoker=(true|on|yes|1)$'))`
		)
};

describe('row-level security covers the whole public schema', () => {
	const pool = getPool(inject('databaseUrl'));
	afterAll(() => closePools());

	it('each detector reports a table, grant or view made without care', async () => {
		const probe = `rls_probe_${randomUUID().slice(0, 8)}`;
		await asOwnerRolledBack(pool, async (db) => {
			await db.query(`create table public.${probe}_bare (id int)`);
			await db.query(`create table public.${probe}_no_policy (id int)`);
			await db.query(`alter table public.${probe}_no_policy enable row level security`);
			await db.query(`create view public.${probe}_view as select id from public.${probe}_no_policy`);
			await db.query(`create view public.${probe}_invoker with (security_invoker = true) as select id from public.${probe}_no_policy`);
			// Start from no grant at all, whatever default privileges the server adds (Supabase
			// grants everything on new tables of public to anon and authenticated).
			const all = ['bare', 'no_policy', 'view', 'invoker'].map((suffix) => `public.${probe}_${suffix}`).join(', ');
			await db.query(`revoke all on ${all} from public, anon, authenticated`);
			await db.query(`grant select on public.${probe}_bare to anon`);
			await db.query(`grant truncate on public.${probe}_no_policy to authenticated`);
			await db.query(`grant select on public.${probe}_view, public.${probe}_invoker to authenticated`);

			const ours = (list: string[]) => list.filter((name) => name.startsWith(probe));
			expect(ours(await detectors.tablesWithoutRls(db))).toEqual([`${probe}_bare`]);
			expect(ours(await detectors.tablesWithoutPolicy(db))).toEqual([`${probe}_bare`, `${probe}_no_policy`]);
			expect(ours(await detectors.grantedToAnon(db))).toEqual([`${probe}_bare`]);
			expect(ours(await detectors.truncatableBySignedIn(db))).toEqual([`${probe}_no_policy`]);
			expect(ours(await detectors.viewsBypassingRls(db))).toEqual([`${probe}_view`]);
		});
		// Rolled back: nothing of the probe remains.
		expect((await detectors.tablesWithoutPolicy(pool)).filter((name) => name.startsWith(probe))).toEqual([]);
	});

	it('the schema has tables to guard', async () => {
		expect((await names(pool, tables)).length).toBeGreaterThanOrEqual(23);
	});

	it('every table has row-level security enabled', async () => {
		expect(await detectors.tablesWithoutRls(pool), 'tables without RLS').toEqual([]);
	});

	it('every table has at least one policy', async () => {
		expect(await detectors.tablesWithoutPolicy(pool), 'tables without any policy').toEqual([]);
	});

	it('anon holds no privilege on any table or view', async () => {
		expect(await detectors.grantedToAnon(pool), 'relations anon has privileges on').toEqual([]);
	});

	it('nobody signed in may truncate (TRUNCATE skips row-level security)', async () => {
		expect(await detectors.truncatableBySignedIn(pool), 'relations authenticated may truncate').toEqual([]);
	});

	it('no view lets a signed-in person read around the policies', async () => {
		expect(await detectors.viewsBypassingRls(pool), 'views without security_invoker').toEqual([]);
	});
});
