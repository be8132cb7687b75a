import type { RealtimeServer } from './types';

/**
 * Keeps connection state recovery (a socket that drops for a moment gets its id and rooms
 * back) but drops its replay of missed packets. socket.io 4.8 writes those packets in the
 * Socket constructor, before the middlewares run (node_modules/socket.io/dist/socket.js), so
 * a session revoked or expired while disconnected would still receive them, even with
 * `skipMiddlewares: false`. The client's `catch_up` replays the same changes after the
 * handshake, filtered by row-level security at that moment.
 *
 * Call after the adapter is set: `io.adapter()` replaces the namespace's adapter instance.
 */
export function replayOnlyAfterAuth(io: RealtimeServer): void {
	const adapter = io.of('/').adapter;
	const restore = adapter.restoreSession.bind(adapter);
	adapter.restoreSession = async (pid, offset) => {
		const session = await restore(pid, offset);
		return session && { ...session, missedPackets: [] };
	};
}
