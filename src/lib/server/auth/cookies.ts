import type { Cookies } from '@sveltejs/kit';
import { REFRESH_COOKIE, SESSION_COOKIE } from './tokens';
import type { Session } from './sign-in';

/** httpOnly, SameSite=Lax: scripts cannot read the token and other sites cannot send it. */
export function setSessionCookies(cookies: Cookies, session: Session, secure: boolean): void {
	const options = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
	cookies.set(SESSION_COOKIE, session.accessToken, { ...options, expires: session.expiresAt });
	if (session.refreshToken) {
		cookies.set(REFRESH_COOKIE, session.refreshToken, { ...options, maxAge: 60 * 60 * 24 * 30 });
	}
}

export function clearSessionCookies(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
	cookies.delete(REFRESH_COOKIE, { path: '/' });
}
