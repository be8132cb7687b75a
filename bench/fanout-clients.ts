/**
 * The client side of the fan-out bench, in its own process so that receiving does not compete
 * with the server for the same event loop. Opens the sockets, records commit-to-receive latency
 * of every change, and answers the parent over IPC.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/realtime/events';
import { summarise, type Latencies } from './stats';

export type ToClients =
	| { type: 'open'; port: number; origin: string; tokens: string[]; clients: number }
	// Answered with a count of 0, so the parent knows the reset happened before it fires.
	| { type: 'reset' }
	| { type: 'count' }
	| { type: 'report' };

export type FromClients =
	| { type: 'opened'; perToken: number[] }
	| { type: 'count'; deliveries: number }
	| { type: 'report'; latencies: Latencies; lastAt: number };

// Handshakes each read the person's rooms from the database: open them a batch at a time.
const CONNECT_BATCH = 100;

let sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
let samples: number[] = [];
let lastAt = 0;

const send = (message: FromClients) => process.send!(message);

async function open(port: number, origin: string, tokens: string[], clients: number) {
	const perToken = tokens.map(() => 0);
	for (let start = 0; start < clients; start += CONNECT_BATCH) {
		const batch = Array.from({ length: Math.min(CONNECT_BATCH, clients - start) }, (_, i) => {
			const index = (start + i) % tokens.length;
			perToken[index]++;
			const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${port}`, {
				transports: ['websocket'],
				auth: { token: tokens[index] },
				extraHeaders: { origin },
				forceNew: true
			});
			socket.on('change', (change) => {
				lastAt = Date.now();
				samples.push(lastAt - Date.parse(change.at));
			});
			sockets.push(socket);
			return new Promise<void>((resolve, reject) => {
				socket.once('rooms', () => resolve());
				socket.once('connect_error', reject);
			});
		});
		await Promise.all(batch);
	}
	send({ type: 'opened', perToken });
}

process.on('message', (message: ToClients) => {
	if (message.type === 'open') void open(message.port, message.origin, message.tokens, message.clients);
	if (message.type === 'reset') {
		samples = [];
		lastAt = 0;
		send({ type: 'count', deliveries: 0 });
	}
	if (message.type === 'count') send({ type: 'count', deliveries: samples.length });
	if (message.type === 'report') send({ type: 'report', latencies: summarise(samples), lastAt });
});
process.on('disconnect', () => {
	for (const socket of sockets) socket.close();
	sockets = [];
	process.exit(0);
});
