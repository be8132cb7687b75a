import bcrypt from 'bcryptjs';
import { createClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { env, usesSupabase } from '../env';
import { asService } from '../db/pool';
import { issueLocalToken } from './tokens';

export interface Session {
	accessToken: string;
	refreshToken?: string;
	expiresAt: Date;
}

// Compared against when the email is unknown, so both paths cost one bcrypt comparison and
// timing does not tell whether an account exists.
const DUMMY_HASH = '$2b$10$ozhtvf456RWsBqq4bHRrLeZZ8UJ204ciqLpp2g5VVxxdIoo7/8BDa';

/** Email + password sign-in; null for any failure, never saying which part was wrong. */
export async function signIn(pool: pg.Pool, email: string, password: string): Promise<Session | null> {
	return usesSupabase() ? signInWithSupabase(email, password) : signInLocally(pool, email, password);
}

async function signInLocally(pool: pg.Pool, email: string, password: string): Promise<Session | null> {
	// Reading password hashes is a system step: nobody's row-level rights apply to auth.users.
	const user = await asService(pool, async (sql) => {
		const { rows } = await sql.query<{ id: string; email: string; encrypted_password: string; banned_until: Date | null }>(
			'select id, email, encrypted_password, banned_until from auth.users where lower(email) = lower($1)',
			[email]
		);
		return rows[0];
	});
	const ok = await bcrypt.compare(password, user?.encrypted_password ?? DUMMY_HASH);
	if (!user || !ok || (user.banned_until && user.banned_until > new Date())) return null;
	await asService(pool, (sql) => sql.query('update auth.users set last_sign_in_at = now() where id = $1', [user.id]));
	const { token, expiresAt } = await issueLocalToken(user);
	return { accessToken: token, expiresAt };
}

function supabase() {
	const config = env();
	return createClient(config.SUPABASE_URL!, config.SUPABASE_ANON_KEY!, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

async function signInWithSupabase(email: string, password: string): Promise<Session | null> {
	const { data, error } = await supabase().auth.signInWithPassword({ email, password });
	if (error || !data.session) return null;
	return sessionFrom(data.session);
}

/** Supabase access tokens live an hour; the refresh token renews them from the hooks. */
export async function refreshSupabaseSession(refreshToken: string): Promise<Session | null> {
	if (!usesSupabase()) return null;
	const { data, error } = await supabase().auth.refreshSession({ refresh_token: refreshToken });
	if (error || !data.session) return null;
	return sessionFrom(data.session);
}

function sessionFrom(s: { access_token: string; refresh_token: string; expires_at?: number }): Session {
	return {
		accessToken: s.access_token,
		refreshToken: s.refresh_token,
		expiresAt: new Date((s.expires_at ?? Date.now() / 1000 + 3600) * 1000)
	};
}
