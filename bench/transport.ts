/**
 * Transport bench: what relaying one board move to the other screens costs through socket.io,
 * configured as Relais configures it (connection-state recovery, the room minus the sender,
 * base64 text), against a plain `ws` server relaying binary frames to every other socket, as
 * Hocuspocus does. No Yjs, no database, no authorisation: only the transport, so the board
 * bench's comparison can be read as "transport + server work".
 *
 * Rounds alternate which transport goes first (socket.io, ws, then ws, socket.io, …), and the
 * samples of all rounds are pooled. Latency: send → each other screen's arrival; also send →
 * the first screen's arrival (one hop through the server, before the other screens' turns).
 *
 *   npm run bench -- transport [--clients 20] [--seconds 15] [--rounds 2] [--bytes 120]
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import { summarise } from './stats';
import type { FromClients, Kind, ToClients } from './transport-clients';

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			clients: { type: 'string', default: '20' },
			seconds: { type: 'string', default: '15' },
			rounds: { type: 'string', default: '2' },
			bytes: { type: 'string', default: '120' }
		}
	});
	const [clients, seconds, rounds, bytes] = [values.clients, values.seconds, values.rounds, values.bytes].map(Number);
	const child = fork(new URL('./transport-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
	const pooled: Record<Kind, { samples: number[]; first: number[] }> = { 'socket.io': { samples: [], first: [] }, ws: { samples: [], first: [] } };
	try {
		for (let r = 0; r < rounds; r++) {
			const order: Kind[] = r % 2 === 0 ? ['socket.io', 'ws'] : ['ws', 'socket.io'];
			for (const kind of order) {
				const server = await (kind === 'socket.io' ? socketIoRelay() : wsRelay());
				const cpu = process.cpuUsage();
				const started = performance.now();
				const result = await ask(child, { type: 'run', kind, port: server.port, clients, seconds, bytes });
				const used = process.cpuUsage(cpu);
				await server.close();
				pooled[kind].samples.push(...result.samples);
				pooled[kind].first.push(...result.first);
				const all = summarise(result.samples);
				const first = summarise(result.first);
				console.log(
					`${kind.padEnd(9)} round ${r + 1}: ${all.deliveries} deliveries, p50 ${all.p50_ms} ms, p95 ${all.p95_ms} ms, p99 ${all.p99_ms} ms; ` +
						`first screen p50 ${first.p50_ms} ms, p95 ${first.p95_ms} ms; CPU server ${Math.round((used.user + used.system) / 10 / (performance.now() - started))}%, screens ${result.cpuPercent}%`
				);
			}
		}
	} finally {
		child.disconnect();
	}
	const result = Object.fromEntries(
		Object.entries(pooled).map(([kind, { samples, first }]) => [kind, { ...summarise(samples), first_screen: summarise(first) }])
	);
	for (const [kind, r] of Object.entries(result)) console.log(`${kind} pooled: p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms; first screen p50 ${r.first_screen.p50_ms} ms, p95 ${r.first_screen.p95_ms} ms`);
	console.log(JSON.stringify({ bench: 'transport', clients, seconds, rounds, bytes, cores: os.availableParallelism(), ...result }));
}

function ask(child: ChildProcess, message: ToClients) {
	return new Promise<Extract<FromClients, { type: 'ran' }>>((resolve, reject) => {
		child.once('message', (answer: FromClients) => (answer.type === 'ran' ? resolve(answer) : reject(new Error(answer.message))));
		child.send(message);
	});
}

/** socket.io with the options of src/lib/server/realtime/index.ts that shape a broadcast. */
async function socketIoRelay() {
	const server = http.createServer();
	const io = new Server(server, { serveClient: false, connectionStateRecovery: { skipMiddlewares: false } });
	io.on('connection', (socket) => {
		void socket.join('board');
		socket.on('relay', (key: string, message: string) => void io.to('board').except(socket.id).emit('relay', key, message));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		close: async () => {
			await io.close();
		}
	};
}

/** Plain `ws`: each message to every other open socket, as Hocuspocus broadcasts an update. */
async function wsRelay() {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((resolve) => wss.once('listening', resolve));
	wss.on('connection', (socket) => {
		socket.on('message', (data, isBinary) => {
			for (const other of wss.clients) if (other !== socket && other.readyState === WebSocket.OPEN) other.send(data, { binary: isBinary });
		});
	});
	return {
		port: (wss.address() as AddressInfo).port,
		close: () => new Promise<void>((resolve) => wss.close(() => resolve()))
	};
}
