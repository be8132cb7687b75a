import type pg from 'pg';
import { readCookie, SESSION_COOKIE, verifyAccessToken } from '../auth/tokens';
import type { AccessEpochs } from './epochs';
import { applyRooms, loadRooms, roomNames, threadsOf } from './rooms';
import type { RealtimeSocket } from './types';

/**
 * Whether a handshake's Origin may open a socket: the configured origins or the server's own
 * host. A missing Origin is accepted: browsers always send one on cross-site WebSocket and XHR
 * requests, which is what this check stops (a foreign page riding the session cookie); what
 * sends none is a non-browser client, which the token check alone governs anyway.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: ReadonlySet<string>): boolean {
	if (origin === undefined) return true;
	if (allowed.has(origin)) return true;
	try {
		return host !== undefined && new URL(origin).host === host;
	} catch {
		return false;
	}
}

/**
 * The handshake middleware: checks the Origin, authenticates the session cookie (or
 * `auth.token` for non-browser clients) and joins the rooms the person may be in. It also runs
 * when socket.io recovers a session, which re-checks the token and replaces restored rooms.
 */
export function handshake(pool: pg.Pool, epochs: AccessEpochs, allowedOrigins: ReadonlySet<string>, log: (line: string) => void) {
	return async (socket: RealtimeSocket, next: (err?: Error) => void) => {
		const { headers, auth } = socket.handshake;
		if (!originAllowed(headers.origin, headers.host, allowedOrigins)) return next(new Error('origin_not_allowed'));
		const token = readCookie(headers.cookie, SESSION_COOKIE) ?? (typeof auth.token === 'string' ? auth.token : undefined);
		const claims = await verifyAccessToken(token);
		if (!claims) return next(new Error('unauthorised'));
		try {
			const rooms = await epochs.stable(claims.sub, () => loadRooms(pool, claims, threadsOf(socket.rooms)));
			socket.data = { claims };
			applyRooms(socket, roomNames(claims.sub, rooms));
			next();
		} catch (err) {
			log(`[realtime] handshake failed: ${(err as Error).message}`);
			next(new Error('unavailable'));
		}
	};
}
