/**
 * The people of the threads bench, in their own process so that receiving does not compete with
 * the server for its event loop. Each socket signs in, follows its threads (join_thread), and
 * records, per message, which sockets heard of it and how long after its commit (the parent
 * checks that every follower heard and that no client heard of an internal note).
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/realtime/events';
import { summarise, type Latencies } from './stats';

export interface Person {
	token: string;
	client: boolean;
	threads: string[];
}

export type ToClients =
	| { type: 'open'; port: number; origin: string; people: Person[] }
	| { type: 'reset' }
	| { type: 'count' }
	| { type: 'report' };

export type FromClients =
	| { type: 'opened'; sockets: number; follows: number; refused: number }
	| { type: 'count'; deliveries: number }
	/** sightings: per message id, the indexes (in `people`) of the sockets that heard of it. */
	| { type: 'report'; latencies: Latencies; lastAt: number; sightings: Record<string, number[]> };

// Each handshake reads the person's rooms from the database: open a batch at a time.
const CONNECT_BATCH = 100;

let sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
/** Per message id, [socket index, latency] of each first sighting. */
let seen = new Map<string, [number, number][]>();
let deliveries = 0;
let lastAt = 0;

const send = (message: FromClients) => process.send!(message);

async function open(port: number, origin: string, people: Person[]) {
	let follows = 0;
	let refused = 0;
	for (let start = 0; start < people.length; start += CONNECT_BATCH) {
		const batch = people.slice(start, start + CONNECT_BATCH).map(async (person, i) => {
			const index = start + i;
			const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${port}`, {
				transports: ['websocket'],
				auth: { token: person.token },
				extraHeaders: { origin },
				forceNew: true
			});
			const heard = new Set<string>();
			socket.on('change', (change) => {
				if (change.table !== 'ticket_messages' || !change.rowId || heard.has(change.rowId)) return;
				heard.add(change.rowId);
				lastAt = Date.now();
				deliveries++;
				const list = seen.get(change.rowId) ?? [];
				list.push([index, lastAt - Date.parse(change.at)]);
				seen.set(change.rowId, list);
			});
			sockets.push(socket);
			await new Promise<void>((resolve, reject) => {
				socket.once('rooms', () => resolve());
				socket.once('connect_error', reject);
			});
			for (const threadId of person.threads) {
				const answer = await socket.emitWithAck('join_thread', { threadId });
				if ('error' in answer) refused++;
				else follows++;
			}
		});
		await Promise.all(batch);
	}
	send({ type: 'opened', sockets: sockets.length, follows, refused });
}

process.on('message', (message: ToClients) => {
	if (message.type === 'open') void open(message.port, message.origin, message.people);
	if (message.type === 'reset') {
		seen = new Map();
		deliveries = 0;
		lastAt = 0;
		send({ type: 'count', deliveries: 0 });
	}
	if (message.type === 'count') send({ type: 'count', deliveries });
	if (message.type === 'report') {
		const samples = [...seen.values()].flatMap((list) => list.map(([, ms]) => ms));
		const sightings = Object.fromEntries([...seen].map(([id, list]) => [id, list.map(([index]) => index)]));
		send({ type: 'report', latencies: summarise(samples), lastAt, sightings });
	}
});
process.on('disconnect', () => {
	for (const socket of sockets) socket.close();
	sockets = [];
	process.exit(0);
});
