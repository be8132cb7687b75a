import pg from 'pg';
import { migrate } from '../src/lib/server/db/migrate';

/**
 * A freshly migrated database of its own on `server` (dropped first if a previous run left it),
 * as tests/integration/private-database.ts makes one; `drop` removes it.
 */
export async function privateDatabase(server: string, name: string) {
	const admin = async (sql: string) => {
		const c = new pg.Client({ connectionString: server });
		await c.connect();
		try {
			await c.query(sql);
		} finally {
			await c.end();
		}
	};
	await admin(`drop database if exists ${name} with (force)`);
	await admin(`create database ${name}`);
	const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
	await migrate(url, { bootstrap: true });
	return { name, url, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
