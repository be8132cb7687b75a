import bcrypt from 'bcryptjs';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { getPool, withUser } from '../../src/lib/server/db/pool';
import { signIn } from '../../src/lib/server/auth/sign-in';
import { verifyAccessToken } from '../../src/lib/server/auth/tokens';
import { consumeSignInAttempt, forgetSignInAttempts } from '../../src/lib/server/auth/rate-limit';
import { env } from '../../src/lib/server/env';
import { createWorld, type World } from './world';

let world: World;
let email: string;
let userId: string;
const password = 'correct horse battery staple';

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	email = world.people.operator.email;
	userId = world.people.operator.id;
	await world.pool.query('update auth.users set encrypted_password = $1 where id = $2', [bcrypt.hashSync(password, 4), userId]);
});

describe('local sign-in', () => {
	it('issues a token with the Supabase claim shape for the right password', async () => {
		const session = await signIn(world.pool, email.toUpperCase(), password);
		expect(session).not.toBeNull();
		const claims = await verifyAccessToken(session!.accessToken);
		expect(claims).toMatchObject({ sub: userId, role: 'authenticated', aud: 'authenticated', email });
		expect(session!.expiresAt.getTime()).toBeGreaterThan(Date.now());
	});

	it('answers a wrong password and an unknown email the same way', async () => {
		expect(await signIn(world.pool, email, 'wrong')).toBeNull();
		expect(await signIn(world.pool, `nobody-${randomUUID()}@test.relais`, password)).toBeNull();
	});

	it('refuses a banned account', async () => {
		await world.pool.query(`update auth.users set banned_until = now() + interval '1 day' where id = $1`, [userId]);
		expect(await signIn(world.pool, email, password)).toBeNull();
		await world.pool.query('update auth.users set banned_until = null where id = $1', [userId]);
	});
});

describe('token verification', () => {
	const sign = (claims: Record<string, unknown>, exp: number, secret = env().JWT_SECRET) =>
		new SignJWT(claims)
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject(userId)
			.setExpirationTime(exp)
			.sign(new TextEncoder().encode(secret));
	const now = () => Math.floor(Date.now() / 1000);

	it('rejects expired, forged, and wrongly shaped tokens', async () => {
		expect(await verifyAccessToken(await sign({ role: 'authenticated', aud: 'authenticated' }, now() - 10))).toBeNull();
		expect(await verifyAccessToken(await sign({ role: 'authenticated', aud: 'authenticated' }, now() + 60, 'x'.repeat(40)))).toBeNull();
		expect(await verifyAccessToken(await sign({ role: 'service_role', aud: 'authenticated' }, now() + 60))).toBeNull();
		expect(await verifyAccessToken('not.a.token')).toBeNull();
		expect(await verifyAccessToken(await sign({ role: 'authenticated', aud: 'authenticated' }, now() + 60))).toMatchObject({ sub: userId });
	});
});

describe('requests as a user', () => {
	let single: pg.Pool;
	beforeAll(() => {
		// One connection, so the second query reuses the connection the first one configured.
		single = getPool(`${inject('databaseUrl')}?application_name=single`, 1);
	});
	// closePools() in the shared setup ends it.

	it('sees auth.uid() inside the transaction and nothing of it afterwards on the same connection', async () => {
		const uid = await withUser(single, world.people.operator.claims, async (sql) => (await sql.query('select auth.uid() as uid')).rows[0].uid);
		expect(uid).toBe(userId);
		const after = await single.query('select auth.uid() as uid, current_user as role');
		expect(after.rows[0].uid).toBeNull();
		expect(after.rows[0].role).not.toBe('authenticated');
	});

	it('rolls back everything when the work fails half-way', async () => {
		const name = `Équipe ${randomUUID().slice(0, 6)}`;
		await expect(
			withUser(single, world.people.site_manager.claims, async (sql) => {
				await sql.query('insert into public.teams (site_id, name) values ($1, $2)', [world.sites.hub, name]);
				await sql.query('insert into public.teams (site_id, name) values ($1, $2)', [world.sites.hub, name]);
			})
		).rejects.toThrow(/duplicate/);
		const { rowCount } = await world.pool.query('select 1 from public.teams where name = $1', [name]);
		expect(rowCount).toBe(0);
	});
});

describe('sign-in rate limit', () => {
	it('blocks the sixth attempt on one account from one address, not another account', async () => {
		const address = `10.0.0.${Math.floor(Math.random() * 200)}`;
		for (let i = 0; i < 5; i++) expect(await consumeSignInAttempt(address, 'victim@test.relais')).toBe(0);
		expect(await consumeSignInAttempt(address, 'victim@test.relais')).toBeGreaterThan(0);
		expect(await consumeSignInAttempt(address, 'someone-else@test.relais')).toBe(0);
	});

	it('lets a whole shift sign in from one address, but not thirty failures', async () => {
		const shared = `10.1.0.${Math.floor(Math.random() * 200)}`;
		for (let i = 0; i < 40; i++) {
			const email = `operator${i}@test.relais`;
			expect(await consumeSignInAttempt(shared, email), `sign-in ${i + 1}`).toBe(0);
			await forgetSignInAttempts(shared, email);
		}
		const attacked = `10.2.0.${Math.floor(Math.random() * 200)}`;
		for (let i = 0; i < 30; i++) expect(await consumeSignInAttempt(attacked, `guess${i}@test.relais`)).toBe(0);
		expect(await consumeSignInAttempt(attacked, 'one-more@test.relais')).toBeGreaterThan(0);
	});
});
