import { env, usesSupabase } from './env';
import { startEmbeddedPostgres } from './db/embedded';
import { isSeeded, migrate, seed, withClient } from './db/migrate';
import path from 'node:path';

const key = Symbol.for('relais.database');
type Holder = { [key]?: Promise<string> };

/**
 * Resolves the database URL once per process: DATABASE_URL if set, otherwise an embedded
 * Postgres under DATA_DIR, migrated and seeded with demo data on first start. Memoised on
 * globalThis because the dev server can load this module through more than one graph.
 */
export function ensureDatabase(log: (line: string) => void = console.log): Promise<string> {
	const holder = globalThis as Holder;
	holder[key] ??= boot(log);
	return holder[key];
}

async function boot(log: (line: string) => void): Promise<string> {
	const config = env();
	let url = config.DATABASE_URL;
	if (!url) {
		const embedded = await startEmbeddedPostgres({
			dataDir: path.join(config.DATA_DIR, 'pg'),
			port: config.EMBEDDED_PG_PORT,
			log
		});
		url = embedded.url;
		process.env.DATABASE_URL = url;
		const applied = await migrate(url, { bootstrap: true });
		if (applied.length) log(`[db] applied ${applied.length} migration(s)`);
		if (config.SEED_DEMO === 'auto' && !(await isSeeded(url))) {
			await seed(url);
			log('[db] demo data loaded');
		}
		await announceDemoLogins(url, log);
	} else {
		const applied = await migrate(url, { bootstrap: !usesSupabase() });
		if (applied.length) log(`[db] applied ${applied.length} migration(s)`);
	}
	return url;
}

/** On the embedded default, say how to get in: the demo accounts present in the database. */
async function announceDemoLogins(url: string, log: (line: string) => void): Promise<void> {
	const { rows } = await withClient(url, (client) =>
		client.query<{ email: string; role: string }>(`
			select u.email, coalesce(string_agg(distinct m.role::text, ', '), 'client') as role
			from auth.users u left join public.memberships m on m.user_id = u.id
			where u.email like '%@relais.demo' group by u.email order by min(u.created_at), u.email`)
	);
	if (!rows.length) return;
	log('[demo] sign in with any of these (password: relais-demo):');
	for (const r of rows) log(`[demo]   ${r.email.padEnd(28)} ${r.role}`);
}
