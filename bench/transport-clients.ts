/**
 * The screens of the transport bench, in their own process (as the board bench's editors are):
 * `clients` sockets of one kind, each sending a board-move-sized message every 200–500 ms; every
 * message carries its send time, and each other socket notes when it arrives.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

export type Kind = 'socket.io' | 'ws';
export type ToClients = { type: 'run'; kind: Kind; port: number; clients: number; seconds: number; bytes: number };
export type FromClients = { type: 'ran'; samples: number[]; first: number[]; cpuPercent: number } | { type: 'failed'; message: string };

const now = () => performance.timeOrigin + performance.now();

interface Client {
	send(message: Uint8Array): void;
	close(): void;
}

/** Connects `count` sockets of `kind`, each calling `onMessage` with what it receives. */
async function connect(kind: Kind, port: number, count: number, onMessage: (bytes: Uint8Array) => void): Promise<Client[]> {
	return Promise.all(
		Array.from({ length: count }, () =>
			kind === 'socket.io'
				? new Promise<Client>((resolve, reject) => {
						// As the board's screens send a move: base64 text in one frame (see src/lib/board/wire.ts).
						const socket: Socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
						socket.on('relay', (_key: string, text: string) => onMessage(Buffer.from(text, 'base64')));
						socket.once('connect', () => resolve({ send: (m) => socket.emit('relay', 'key', Buffer.from(m).toString('base64')), close: () => socket.close() }));
						socket.once('connect_error', reject);
					})
				: new Promise<Client>((resolve, reject) => {
						// As Hocuspocus's provider does: one binary frame.
						const socket = new WebSocket(`ws://127.0.0.1:${port}`);
						socket.on('message', (data: Buffer) => onMessage(data));
						socket.once('open', () => resolve({ send: (m) => socket.send(m), close: () => socket.close() }));
						socket.once('error', reject);
					})
		)
	);
}

async function run({ kind, port, clients: count, seconds, bytes }: Extract<ToClients, { type: 'run' }>): Promise<FromClients> {
	const samples: number[] = [];
	const first: number[] = [];
	const seen = new Map<number, number>();
	const clients = await connect(kind, port, count, (message) => {
		const at = now();
		const sent = new DataView(message.buffer, message.byteOffset, 8).getFloat64(0);
		const times = (seen.get(sent) ?? 0) + 1;
		seen.set(sent, times);
		samples.push(at - sent);
		if (times === 1) first.push(at - sent);
	});
	await new Promise((r) => setTimeout(r, 500));
	const cpu = process.cpuUsage();
	const started = now();
	const until = started + seconds * 1000;
	await Promise.all(
		clients.map(async (client) => {
			for (;;) {
				await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
				if (now() >= until) return;
				const message = new Uint8Array(bytes);
				new DataView(message.buffer).setFloat64(0, now());
				client.send(message);
			}
		})
	);
	await new Promise((r) => setTimeout(r, 500));
	const used = process.cpuUsage(cpu);
	clients.forEach((c) => c.close());
	return { type: 'ran', samples, first, cpuPercent: Math.round((used.user + used.system) / 10 / (now() - started)) };
}

process.on('message', (message: ToClients) => {
	run(message).then(
		(answer) => process.send!(answer),
		(err: Error) => process.send!({ type: 'failed', message: err.message })
	);
});
process.on('disconnect', () => process.exit(0));
