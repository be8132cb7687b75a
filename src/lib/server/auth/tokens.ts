import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { env, usesSupabase } from '../env';
import type { JwtClaims } from '../db/pool';

/** The httpOnly cookie holding the access token; the socket handshake reads the same one. */
export const SESSION_COOKIE = 'relais_session';
export const REFRESH_COOKIE = 'relais_refresh';

const encoder = new TextEncoder();
let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** Local auth: a JWT with the claim shape Supabase Auth issues, so downstream is one path. */
export async function issueLocalToken(user: { id: string; email: string }): Promise<{ token: string; expiresAt: Date }> {
	const config = env();
	const now = Math.floor(Date.now() / 1000);
	const exp = now + Math.round(config.SESSION_HOURS * 3600);
	const token = await new SignJWT({
		email: user.email,
		role: 'authenticated',
		aud: 'authenticated',
		session_id: randomUUID(),
		app_metadata: { provider: 'email', providers: ['email'] },
		user_metadata: {}
	})
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setSubject(user.id)
		.setIssuedAt(now)
		.setExpirationTime(exp)
		.sign(encoder.encode(config.JWT_SECRET));
	return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Verifies an access token (signature, expiry, audience) and returns its claims, or null.
 * Supabase tokens are checked against the project's JWKS (asymmetric keys) or, for projects
 * on the legacy shared secret, SUPABASE_JWT_SECRET.
 */
export async function verifyAccessToken(token: string | undefined | null): Promise<JwtClaims | null> {
	if (!token) return null;
	try {
		const config = env();
		let payload: JWTPayload;
		if (!usesSupabase()) {
			({ payload } = await jwtVerify(token, encoder.encode(config.JWT_SECRET), { audience: 'authenticated', algorithms: ['HS256'] }));
		} else if (config.SUPABASE_JWT_SECRET) {
			({ payload } = await jwtVerify(token, encoder.encode(config.SUPABASE_JWT_SECRET), { audience: 'authenticated' }));
		} else {
			jwks ??= createRemoteJWKSet(new URL('/auth/v1/.well-known/jwks.json', config.SUPABASE_URL));
			({ payload } = await jwtVerify(token, jwks, { audience: 'authenticated' }));
		}
		if (payload.role !== 'authenticated' || typeof payload.sub !== 'string') return null;
		return payload as JwtClaims;
	} catch {
		return null;
	}
}

/** Reads one cookie from a raw Cookie header (socket handshakes have no SvelteKit cookies). */
export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return undefined;
}
