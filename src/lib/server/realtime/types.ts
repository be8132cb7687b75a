import type { Server, Socket } from 'socket.io';
import type { JwtClaims } from '../db/pool';
import type { ClientToServerEvents, ServerToClientEvents } from '../../realtime/events';

/** Set by the handshake: the verified claims every query of this socket runs with. */
export interface SocketData {
	claims: JwtClaims;
	/** Planning boards this socket has joined (key site:period), as presence reports them. */
	boards?: Record<string, { canEdit: boolean; holding: string | null }>;
	/** The person's name, for presence on boards. */
	name?: string;
}

// Nodes exchange nothing of their own: each hears the change feed itself.
type InterServerEvents = Record<string, never>;

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
