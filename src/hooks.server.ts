import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { ensureDatabase } from '$lib/server/boot';
import { appPool } from '$lib/server/db';
import { withUser } from '$lib/server/db/pool';
import { loadSessionUser } from '$lib/server/auth/session-user';
import { REFRESH_COOKIE, SESSION_COOKIE, verifyAccessToken } from '$lib/server/auth/tokens';
import { refreshSupabaseSession } from '$lib/server/auth/sign-in';
import { setSessionCookies } from '$lib/server/auth/cookies';

export const init: ServerInit = async () => {
	await ensureDatabase();
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale) });
	});

/** Verifies the session cookie (renewing a Supabase session when its access token expired). */
const authenticate: Handle = async ({ event, resolve }) => {
	const pool = await appPool();
	let claims = await verifyAccessToken(event.cookies.get(SESSION_COOKIE));
	const refreshToken = event.cookies.get(REFRESH_COOKIE);
	if (!claims && refreshToken) {
		const renewed = await refreshSupabaseSession(refreshToken);
		if (renewed) {
			setSessionCookies(event.cookies, renewed, event.url.protocol === 'https:');
			claims = await verifyAccessToken(renewed.accessToken);
		}
	}
	event.locals.claims = claims;
	event.locals.db = (fn) => {
		if (!event.locals.claims) throw redirect(303, '/login');
		return withUser(pool, event.locals.claims, fn);
	};
	event.locals.user = claims ? await event.locals.db(loadSessionUser) : null;
	return resolve(event);
};

// The KPI wall signs in with a device token of its own (src/routes/wall), never a session;
// /f/<key> are the dealers' public lead forms.
const publicPaths = ['/login', '/health', '/wall', '/f'];

/** Everything but the sign-in page needs a session; clients live in the portal only. */
const guard: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	const isPublic = publicPaths.some((p) => path === p || path.startsWith(`${p}/`));
	if (!isPublic && !event.locals.user) {
		throw redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
	}
	return resolve(event);
};

/**
 * Framing: the public lead forms (/f/<key>) are embedded in iframes on the dealers' own
 * websites, whatever their domain; every other page may be framed by the app itself only.
 */
const framing: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	try {
		if (event.url.pathname.startsWith('/f/')) {
			response.headers.set('content-security-policy', 'frame-ancestors *');
		} else {
			response.headers.set('content-security-policy', "frame-ancestors 'self'");
			response.headers.set('x-frame-options', 'SAMEORIGIN');
		}
	} catch {
		// Immutable headers (a fetched response returned as is): left as they came.
	}
	return response;
};

export const handle = sequence(framing, i18n, authenticate, guard);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
