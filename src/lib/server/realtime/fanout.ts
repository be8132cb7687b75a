import type pg from 'pg';
import { wireChange, type CapturedChange } from './changes';
import type { AccessEpochs } from './epochs';
import { applyRooms, describeRooms, loadRooms, roomNames, routeChange, threadRoom, threadsOf, userRoom } from './rooms';
import { threadsOfChanges } from './threads';
import type { RealtimeServer, RealtimeSocket } from './types';

// Changes to these tables alter what their person may see: their rooms are recomputed.
const ACCESS_TABLES = new Set(['memberships', 'client_members']);

/**
 * Sends each change to its rooms on this node only. Every node hears every change from the
 * feed, so relaying through the adapter as well would deliver it twice across the cluster.
 * One emit per change: socket.io encodes the packet once and dedupes sockets across rooms.
 */
export function createFanout(
	io: RealtimeServer,
	pool: pg.Pool,
	epochs: AccessEpochs,
	log: (line: string) => void,
	onAccessChange: (socket: RealtimeSocket) => Promise<void> = async () => {}
) {
	/** Recomputes a person's rooms on this node's sockets, before later changes are sent. */
	async function refreshAccess(userId: string): Promise<void> {
		epochs.bump(userId);
		const room = userRoom(userId);
		const before = await io.local.in(room).fetchSockets();
		if (!before.length) return;
		const threads = [...new Set(before.flatMap((s) => threadsOf(s.rooms)))];
		const rooms = await loadRooms(pool, before[0].data.claims, threads);
		// Fetched again: a socket may have connected while the rooms were read.
		for (const socket of await io.local.in(room).fetchSockets()) {
			const own = { ...rooms, threads: rooms.threads.filter((t) => socket.rooms.has(threadRoom(t))) };
			applyRooms(socket, roomNames(userId, own));
			socket.emit('rooms', describeRooms(socket.rooms));
			// io.local returns this node's own Socket objects, typed as remote ones.
			await onAccessChange(socket as unknown as RealtimeSocket);
		}
	}

	return async function fanOut(changes: CapturedChange[]): Promise<void> {
		// Thread rooms only narrow the site and client rooms, so without them nobody misses a change.
		const threads = await threadsOfChanges(pool, changes).catch((err: Error) => {
			log(`[realtime] resolving threads failed: ${err.message}`);
			return new Map<number, string>();
		});
		for (const change of changes) {
			if (ACCESS_TABLES.has(change.table) && change.userId) {
				const userId = change.userId;
				await refreshAccess(userId).catch((err: Error) => {
					// Stale rooms could outlive a revocation: drop the sockets, their reconnect re-checks.
					log(`[realtime] refreshing rooms failed: ${err.message}`);
					io.local.in(userRoom(userId)).disconnectSockets(true);
				});
			}
			const rooms = routeChange(change, threads.get(change.id));
			if (rooms.length) io.local.to(rooms).emit('change', wireChange(change));
		}
	};
}
