import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const root = process.cwd();
export const migrationsDir = path.join(root, 'supabase', 'migrations');
const bootstrapFile = path.join(root, 'supabase', 'bootstrap', 'local.sql');
const seedFile = path.join(root, 'supabase', 'seed.sql');

/** Runs `fn` on a connection of its own (not a pool's), closed afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/**
 * Applies supabase/migrations in order, recording them where the Supabase CLI does
 * (supabase_migrations.schema_migrations), so a database migrated here and one pushed with
 * `supabase db push` agree on what has run. `bootstrap` adds the local stand-in for the
 * Supabase platform (roles, auth schema) and must be false against a real Supabase project.
 */
export async function migrate(url: string, { bootstrap }: { bootstrap: boolean }): Promise<string[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		// One migrator at a time across nodes starting together.
		await client.query('select pg_advisory_lock(7291)');
		if (bootstrap) await client.query(await readFile(bootstrapFile, 'utf8'));
		await client.query(`create schema if not exists supabase_migrations;
			create table if not exists supabase_migrations.schema_migrations (
				version text primary key, statements text[], name text)`);
		const done = new Set(
			(await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map(
				(r) => r.version
			)
		);
		const files = (await readdir(migrationsDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
		const applied: string[] = [];
		for (const file of files) {
			const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
			if (done.has(version)) continue;
			const body = await readFile(path.join(migrationsDir, file), 'utf8');
			await client.query('begin');
			try {
				await client.query(body);
				await client.query(
					'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
					[version, rest.join('_'), [body]]
				);
				await client.query('commit');
			} catch (err) {
				await client.query('rollback');
				throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
			}
			applied.push(file);
		}
		return applied;
	} finally {
		await client.query('select pg_advisory_unlock(7291)').catch(() => {});
		await client.end();
	}
}

/** Loads the demo data (idempotent: fixed ids and `on conflict do nothing`). */
export async function seed(url: string): Promise<void> {
	const sql = await readFile(seedFile, 'utf8');
	await withClient(url, (client) => client.query(sql));
}

export async function isSeeded(url: string): Promise<boolean> {
	const { rows } = await withClient(url, (client) => client.query('select exists (select 1 from public.organisations) as seeded'));
	return rows[0].seeded as boolean;
}

/** Drops everything the migrations and bootstrap created. Refuses to run against Supabase. */
export async function reset(url: string): Promise<void> {
	await withClient(url, (client) =>
		client.query(`drop schema if exists public cascade; drop schema if exists private cascade;
			drop schema if exists supabase_migrations cascade; drop schema if exists auth cascade;
			create schema public; grant usage on schema public to public`)
	);
}
