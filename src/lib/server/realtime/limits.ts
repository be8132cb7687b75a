import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RealtimeSocket } from './types';

// A screen sends a catch_up per reconnect and a thread join per page: 20 a second is generous.
const MESSAGES_PER_SECOND = 20;
// Three times that within one second is a script, not a screen: it loses the connection.
const ABUSIVE = 3 * MESSAGES_PER_SECOND;

/** One per server: counts messages per socket id over one-second windows. */
export function createMessageLimiter(): RateLimiterMemory {
	return new RateLimiterMemory({ points: MESSAGES_PER_SECOND, duration: 1 });
}

/** Refuses messages over the rate with an error reply, and disconnects abusive sockets. */
export function limitMessages(socket: RealtimeSocket, limiter: RateLimiterMemory): void {
	socket.use((packet, next) => {
		limiter.consume(socket.id).then(
			() => next(),
			(res: unknown) => {
				if (!(res instanceof RateLimiterRes)) return next(res as Error);
				const ack = packet[packet.length - 1];
				if (typeof ack === 'function') ack({ error: 'rate_limited' });
				if (res.consumedPoints > ABUSIVE) socket.disconnect(true);
			}
		);
	});
}
