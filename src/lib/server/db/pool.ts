import pg from 'pg';

/** Claims as Supabase Auth puts them in a JWT; `sub` is the auth.users id. */
export interface JwtClaims {
	sub: string;
	role: 'authenticated';
	email?: string;
	aud?: string;
	exp?: number;
	iat?: number;
	session_id?: string;
	[key: string]: unknown;
}

export type Sql = pg.PoolClient;

const pools = new Map<string, pg.Pool>();

// bigint ids (change_log, audit_log) fit comfortably in a JS number for the life of a system.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function getPool(url: string, max = 10): pg.Pool {
	let pool = pools.get(url);
	if (!pool) {
		pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
		pool.on('error', (err) => console.error('[db] idle client error', err.message));
		pools.set(url, pool);
	}
	return pool;
}

export async function closePools(): Promise<void> {
	await Promise.all([...pools.values()].map((p) => p.end()));
	pools.clear();
}

async function inTransaction<T>(pool: pg.Pool, setup: string, params: unknown[], fn: (sql: Sql) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('begin');
		await client.query(setup, params);
		const result = await fn(client);
		await client.query('commit');
		return result;
	} catch (err) {
		await client.query('rollback').catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

/**
 * Runs `fn` as the signed-in user: role `authenticated` with the request's JWT claims, inside
 * one transaction. Row-level security decides what the queries see and may change.
 */
export function withUser<T>(pool: pg.Pool, claims: JwtClaims, fn: (sql: Sql) => Promise<T>): Promise<T> {
	return inTransaction(
		pool,
		`select set_config('role', 'authenticated', true),
		        set_config('request.jwt.claims', $1, true),
		        set_config('request.jwt.claim.sub', $2, true)`,
		[JSON.stringify(claims), claims.sub],
		fn
	);
}

/**
 * The explicit service path: role `service_role` bypasses RLS. Only for system work that acts
 * on nobody's behalf (fan-out reads of the change log, jobs, seeding), never for a request.
 */
export function asService<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
	return inTransaction(pool, `select set_config('role', 'service_role', true)`, [], fn);
}

/**
 * A visitor nobody knows: role `anon`, no claims. Only what was granted to anon works (the
 * public lead form's functions), so a public page cannot reach further than its own door.
 */
export function asAnon<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
	return inTransaction(pool, `select set_config('role', 'anon', true), set_config('request.jwt.claims', '', true)`, [], fn);
}
