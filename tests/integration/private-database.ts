import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/lib/server/db/migrate';

/**
 * A freshly migrated database of the test's own, on the same server as the shared one: for
 * tests whose effects are database-wide (seeding, pruning the change log) and would disturb
 * the files running beside them.
 */
export async function privateDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
	const server = new URL(inject('databaseUrl'));
	const name = `relais_${label}_${process.pid}`;
	const admin = async (sql: string) => {
		const c = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
		await c.connect();
		await c.query(sql);
		await c.end();
	};
	await admin(`drop database if exists ${name}`);
	await admin(`create database ${name}`);
	const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
	await migrate(url, { bootstrap: true });
	return { url, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
