import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { migrate } from '../../src/lib/server/db/migrate';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}

/**
 * One freshly migrated, throw-away database for the whole run, on the server named by
 * TEST_DATABASE_URL (CI also runs the suite on the machine's Postgres 15) or else on the
 * embedded Postgres 18.
 */
export default async function setup(project: TestProject) {
	let server = process.env.TEST_DATABASE_URL;
	let stopServer = async () => {};
	if (!server) {
		const embedded = await startEmbeddedPostgres({ dataDir: '.data/test-pg', port: 54339 });
		server = embedded.url;
		stopServer = embedded.stop;
	}
	const name = `relais_test_${process.pid}`;
	const admin = async (sql: string) => {
		const c = new pg.Client({ connectionString: server });
		await c.connect();
		await c.query(sql);
		await c.end();
	};
	await admin(`drop database if exists ${name}`);
	await admin(`create database ${name}`);
	const url = new URL(server);
	url.pathname = `/${name}`;
	await migrate(url.toString(), { bootstrap: true });
	project.provide('databaseUrl', url.toString());
	return async () => {
		await admin(`drop database if exists ${name} with (force)`);
		await stopServer();
	};
}
