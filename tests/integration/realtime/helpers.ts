import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';
import type pg from 'pg';
import type { Change, ClientToServerEvents, Rooms, ServerToClientEvents } from '../../../src/lib/realtime/events';
import { createRealtime, type AdapterChoice, type Realtime } from '../../../src/lib/server/realtime';

export const ORIGIN = 'http://relais.test';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Node {
	realtime: Realtime;
	port: number;
	close(): Promise<void>;
}

/** A realtime server on its own HTTP server, on a free port. */
export async function startNode(
	pool: pg.Pool,
	{ adapter = { kind: 'none' }, tokenCheckMs }: { adapter?: AdapterChoice; tokenCheckMs?: number } = {}
): Promise<Node> {
	const server = http.createServer();
	const realtime = await createRealtime(server, {
		pool,
		allowedOrigins: [ORIGIN],
		adapter,
		tokenCheckMs,
		log: () => {}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		realtime,
		port,
		async close() {
			await realtime.close();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}

export interface Client {
	socket: ClientSocket;
	/** Every change received, in arrival order. */
	changes: Change[];
	/** The rooms the server announced on connection. */
	rooms: Rooms;
}

/** Opens a socket as a non-browser client would (token in `auth`), unless told otherwise. */
export function openSocket(
	port: number,
	{ token, origin = ORIGIN, cookie, reconnect = false }: { token?: string; origin?: string; cookie?: string; reconnect?: boolean } = {}
): ClientSocket {
	const headers: Record<string, string> = { origin };
	if (cookie) headers.cookie = cookie;
	return connectClient(`http://127.0.0.1:${port}`, {
		transports: ['websocket'],
		auth: token ? { token } : {},
		extraHeaders: headers,
		reconnection: reconnect,
		reconnectionDelay: 200,
		forceNew: true
	});
}

/**
 * Connects and records changes; resolves once the server has announced the socket's rooms (the
 * last step of a connection), rejects with the server's connect_error.
 */
export async function connect(port: number, token: string, { reconnect = false } = {}): Promise<Client> {
	const socket = openSocket(port, { token, reconnect });
	const changes: Change[] = [];
	socket.on('change', (change) => changes.push(change));
	const rooms = await new Promise<Rooms>((resolve, reject) => {
		socket.once('rooms', resolve);
		socket.once('connect_error', reject);
	});
	return { socket, changes, rooms };
}

/** The error message of a refused handshake. */
export function refusal(socket: ClientSocket): Promise<string> {
	return new Promise((resolve, reject) => {
		socket.once('connect', () => reject(new Error('connected')));
		socket.once('connect_error', (err) => resolve(err.message));
	});
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
