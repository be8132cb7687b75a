import type pg from 'pg';
import { withUser, type Sql } from '../../../src/lib/server/db/pool';
import type { Person } from '../world';
import type { Statement } from './tables';

/** What an attempt came to: rows it changed, or why nothing was changed. */
export type Outcome = { allowed: true; rows: number } | { allowed: false; reason: string };

/** Carries a result out of a transaction that is rolled back on purpose. */
class RolledBack extends Error {
	constructor(readonly result: unknown) {
		super('rolled back on purpose');
	}
}

/** Runs `fn` as the person (withUser) and rolls its transaction back, returning its result. */
export async function rolledBack<T>(pool: pg.Pool, person: Person, fn: (sql: Sql) => Promise<T>): Promise<T> {
	try {
		await withUser(pool, person.claims, async (sql) => {
			throw new RolledBack(await fn(sql));
		});
	} catch (err) {
		if (err instanceof RolledBack) return err.result as T;
		throw err;
	}
	throw new Error('unreachable: withUser neither failed nor rolled back');
}

/**
 * A refusal by the database's access rules: a row-level security violation or a missing
 * privilege (both SQLSTATE 42501). Any other error is a broken test, never a denial.
 */
export function isDenial(err: unknown): err is Error {
	return err instanceof Error && (err as { code?: string }).code === '42501';
}

/**
 * Runs the statement as the person in a transaction that is always rolled back, and reports
 * whether it was allowed (changed at least one row) or denied (42501, or no row: row-level
 * security filters what an update or a delete may reach).
 */
export async function attempt(pool: pg.Pool, person: Person, statement: Statement): Promise<Outcome> {
	try {
		const rows = await rolledBack(pool, person, async (sql) => (await sql.query(statement.text, statement.values)).rowCount);
		return rows ? { allowed: true, rows } : { allowed: false, reason: 'no row affected' };
	} catch (err) {
		if (isDenial(err)) return { allowed: false, reason: err.message };
		throw err;
	}
}

/** Which of `ids` (compared as text on `key`) the person can select from the table. */
export async function visible(pool: pg.Pool, person: Person, table: string, key: string, ids: string[]): Promise<Set<string>> {
	const { rows } = await withUser(pool, person.claims, (sql) =>
		sql.query<{ id: string }>(`select ${key}::text as id from public.${table} where ${key}::text = any($1::text[])`, [ids])
	);
	return new Set(rows.map((r) => r.id));
}

/** Runs `fn` as the database owner (no row-level security) in a transaction rolled back after. */
export async function asOwnerRolledBack<T>(pool: pg.Pool, fn: (sql: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('begin');
		return await fn(client);
	} finally {
		await client.query('rollback');
		client.release();
	}
}

/** Sets who is signed in for the rest of the transaction; the database role is unchanged. */
export async function actAs(sql: Sql, person: Person): Promise<void> {
	await sql.query(`select set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true)`, [
		JSON.stringify(person.claims),
		person.id
	]);
}
