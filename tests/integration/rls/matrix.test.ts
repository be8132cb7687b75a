import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools } from '../../../src/lib/server/db/pool';
import { createWorld, personas, type Persona } from '../world';
import { actAs, asOwnerRolledBack, attempt, visible, type Outcome } from './executor';
import { expected, operations, tables, type Operation, type Table } from './expectations';
import { createRlsFixture, type RlsFixture } from './fixture';
import { allTargets, specs, sql, targetsFor, type Statement, type Target } from './tables';

/**
 * The RLS matrix: every table × persona × operation of expectations.ts, run as that persona
 * on a row of their own scope; and, whatever the cell says, nothing outside their scope is
 * visible or writable. Every attempt runs in its own transaction, rolled back.
 */

let fx: RlsFixture;

beforeAll(async () => {
	fx = await createRlsFixture(await createWorld(inject('databaseUrl')));
});
afterAll(() => closePools());

// A denial must come from the access rules, not from a payload that could never succeed:
// row-level security checks a new row before its constraints, so a broken insert would pass
// for a denial. As the owner, each one succeeds; and every row acted on exists.
describe('fixture: what the matrix attempts is valid', () => {
	it.each(tables)('%s', async (table) => {
		const { key } = specs[table];
		const targets = allTargets(fx, table);
		await asOwnerRolledBack(fx.world.pool, async (sql) => {
			// Columns defaulting to auth.uid() (author_id, recorded_by…) need someone signed in.
			await actAs(sql, fx.world.people.admin);
			for (const target of targets) {
				await sql.query('savepoint attempt');
				const { rowCount } = await sql.query(target.insert.text, target.insert.values);
				expect(rowCount, `insert at ${target.label}`).toBe(1);
				await sql.query('rollback to savepoint attempt');
			}
			const ids = [...new Set(targets.flatMap((t) => [t.id, t.deleteId]))];
			const { rows } = await sql.query(`select count(*)::int as n from public.${table} where ${key}::text = any($1::text[])`, [ids]);
			expect(rows[0].n).toBe(ids.length);
		});
	});
});

function expectOutcome(outcome: Outcome, allowed: boolean, what: string) {
	expect(outcome.allowed, `${what}: ${outcome.allowed ? `${outcome.rows} row(s) changed` : outcome.reason}`).toBe(allowed);
}

function change(table: Table, operation: 'update' | 'delete', ids: string[]): Statement {
	const { key, set } = specs[table];
	const where = `where ${key}::text = any($1::text[])`;
	return sql(operation === 'update' ? `update public.${table} set ${set} ${where}` : `delete from public.${table} ${where}`, ids);
}

async function check(table: Table, persona: Persona, operation: Operation) {
	const { pool, people } = fx.world;
	const person = people[persona];
	const allowed = expected(table, persona, operation);
	const { own, outside } = targetsFor(fx, table, persona);

	if (operation === 'select') {
		const seen = await visible(pool, person, table, specs[table].key, [own.id, ...outside.map((t) => t.id)]);
		expect(seen.has(own.id), `own row (${own.label}) visible`).toBe(allowed);
		expect(outside.filter((t) => seen.has(t.id)).map((t) => t.label), 'rows out of reach that are visible').toEqual([]);
		return;
	}
	if (operation === 'insert') {
		expectOutcome(await attempt(pool, person, own.insert), allowed, `insert at ${own.label}`);
		for (const t of outside) expectOutcome(await attempt(pool, person, t.insert), false, `insert at ${t.label} (out of reach)`);
		return;
	}
	const id = (t: Target) => (operation === 'delete' ? t.deleteId : t.id);
	expectOutcome(await attempt(pool, person, change(table, operation, [id(own)])), allowed, `${operation} own row (${own.label})`);
	if (outside.length > 0) {
		const labels = outside.map((t) => t.label).join(', ');
		expectOutcome(await attempt(pool, person, change(table, operation, outside.map(id))), false, `${operation} rows out of reach (${labels})`);
	}
}

describe.each(tables)('%s', (table) => {
	const cases = personas.flatMap((persona) =>
		operations.map((operation) => {
			const title = `${persona} ${expected(table, persona, operation) ? 'may' : 'may not'} ${operation}`;
			return [title, persona, operation] as const;
		})
	);
	it.each(cases)('%s', (_title, persona, operation) => check(table, persona, operation));
});
