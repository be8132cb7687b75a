import type { RealtimeServer } from './types';

/**
 * A socket outlives the token it was opened with; every `everyMs` the sockets of this node
 * whose token has expired are disconnected (the browser reconnects with its renewed cookie, or
 * ends up signed out). Returns the function that stops the sweep.
 */
export function sweepExpiredSessions(io: RealtimeServer, everyMs: number): () => void {
	const timer = setInterval(() => {
		const now = Date.now() / 1000;
		for (const socket of io.of('/').sockets.values()) {
			const exp = socket.data.claims.exp;
			if (exp !== undefined && exp <= now) socket.disconnect(true);
		}
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
