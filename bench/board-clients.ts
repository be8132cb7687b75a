/**
 * The editors of the board bench, in their own process so that twenty Yjs documents applying
 * each other's moves do not compete with the server for its event loop. The same editors and
 * the same moves run against either backend; only the transport differs:
 *
 * - relais: socket.io with the y-protocols sync messages, exactly as `BoardSync`
 *   (src/lib/board/sync.svelte.ts) speaks them (that file is a Svelte runes module and does
 *   not load outside Svelte's compiler);
 * - hocuspocus: `HocuspocusProvider` over `ws`.
 *
 * A move replaces one card's placement with a rank no other move uses, so every editor that
 * sees the card change can tell which move it is seeing and how long after it was made.
 * Times are `performance.timeOrigin + performance.now()`: the same clock as the server process.
 */
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { boardKey, cardsOf, type BoardRef, type Placement } from '../src/lib/board/model';
import { fromWire, toWire } from '../src/lib/board/wire';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/realtime/events';

export type Target =
	| { backend: 'relais'; port: number; origin: string; ref: BoardRef }
	| { backend: 'hocuspocus'; port: number; name: string };

export interface MovePlan {
	seconds: number;
	/** Each editor waits a random time between these before its next move. */
	gapMs: [number, number];
	teams: string[];
	days: string[];
	tasks: string[];
	/** After the last move, how long at most to wait for every editor to see every move. */
	drainMs: number;
	/** …and how long without any new sighting before giving up on the rest. */
	quietMs: number;
}

export type ToClients =
	| { type: 'join'; target: Target; token: string }
	| { type: 'open'; target: Target; tokens: string[] }
	| { type: 'move'; plan: MovePlan }
	| { type: 'close' };

export interface MoveReport {
	moves: number;
	expected: number;
	/** Remote-move latency of every (move, other editor) seen, in ms. */
	samples: number[];
	/** When each move was made, by its rank (for the server-side breakdown). */
	sent: Record<string, number>;
	/** [rank, when an editor other than the mover saw it]. */
	seen: [string, number][];
	refused: number;
	/** Whether all editors hold the same cards at the end. */
	converged: boolean;
	cpuPercent: number;
	/** From the end of the moves until the last sighting (or giving up). */
	drainedMs: number;
}

export type FromClients =
	| { type: 'joined'; connectMs: number; joinMs: number; cards: number }
	| { type: 'opened'; ms: number }
	| { type: 'moved'; report: MoveReport }
	| { type: 'closed' }
	| { type: 'failed'; message: string };

export const now = () => performance.timeOrigin + performance.now();

interface Editor {
	doc: Y.Doc;
	/** Resolves once the socket is open and authenticated, before the document is asked for. */
	connected: Promise<void>;
	/** Asks for the document; resolves when the server's state is in `doc`. */
	join(): Promise<void>;
	refused: number;
	close(): void;
}

const REMOTE = 'remote';

/** A board screen over socket.io, speaking what BoardSync speaks. */
function relaisEditor(target: Extract<Target, { backend: 'relais' }>, token: string): Editor {
	const key = boardKey(target.ref);
	const doc = new Y.Doc();
	const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${target.port}`, {
		transports: ['websocket'],
		auth: { token },
		extraHeaders: { origin: target.origin },
		reconnection: false,
		forceNew: true
	});
	const send = (write: (e: encoding.Encoder) => void) => {
		const encoder = encoding.createEncoder();
		write(encoder);
		socket.emit('board_sync', key, toWire(encoding.toUint8Array(encoder)));
	};
	let onSynced = () => {};
	const editor: Editor = {
		doc,
		refused: 0,
		connected: new Promise((resolve, reject) => {
			socket.once('rooms', () => resolve());
			socket.once('connect_error', reject);
		}),
		join: () =>
			new Promise((resolve, reject) => {
				onSynced = resolve;
				socket.emit('board_join', target.ref, (response) => {
					if ('error' in response) return reject(new Error(`board_join refused: ${response.error}`));
					send((e) => syncProtocol.writeSyncStep1(e, doc));
				});
			}),
		close: () => {
			socket.close();
			doc.destroy();
		}
	};
	socket.on('board_sync', (k, message) => {
		if (k !== key) return;
		const bytes = fromWire(message);
		if (!bytes) return;
		const decoder = decoding.createDecoder(bytes);
		const reply = encoding.createEncoder();
		const type = syncProtocol.readSyncMessage(decoder, reply, doc, REMOTE);
		if (encoding.length(reply) > 0) socket.emit('board_sync', key, toWire(encoding.toUint8Array(reply)));
		if (type === syncProtocol.messageYjsSyncStep2) onSynced();
	});
	socket.on('board_refused', () => editor.refused++);
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== REMOTE && socket.connected) send((e) => syncProtocol.writeUpdate(e, update));
	});
	return editor;
}

/** A board screen through Hocuspocus's own provider, one WebSocket each. */
function hocuspocusEditor(target: Extract<Target, { backend: 'hocuspocus' }>, token: string): Editor {
	const doc = new Y.Doc();
	const websocket = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${target.port}`, WebSocketPolyfill: WebSocket });
	let provider: HocuspocusProvider | undefined;
	return {
		doc,
		refused: 0,
		connected: new Promise((resolve) => {
			const onStatus = ({ status }: { status: string }) => {
				if (status !== 'connected') return;
				websocket.off('status', onStatus);
				resolve();
			};
			websocket.on('status', onStatus);
		}),
		join: () =>
			new Promise((resolve, reject) => {
				provider = new HocuspocusProvider({
					websocketProvider: websocket,
					name: target.name,
					document: doc,
					token,
					onSynced: ({ state }) => state && resolve(),
					onAuthenticationFailed: ({ reason }) => reject(new Error(`hocuspocus refused: ${reason}`))
				});
				provider.attach();
			}),
		close: () => {
			provider?.destroy();
			websocket.destroy();
			doc.destroy();
		}
	};
}

const editorOf = (target: Target, token: string) => (target.backend === 'relais' ? relaisEditor(target, token) : hocuspocusEditor(target, token));

let editors: Editor[] = [];
const send = (message: FromClients) => process.send!(message);

/** One screen opens the board: connect, then time the join until its document holds the board. */
async function joinOnce(target: Target, token: string): Promise<FromClients> {
	const started = now();
	const editor = editorOf(target, token);
	try {
		await editor.connected;
		const connectedAt = now();
		await editor.join();
		const joinMs = now() - connectedAt;
		return { type: 'joined', connectMs: connectedAt - started, joinMs, cards: cardsOf(editor.doc).size };
	} finally {
		editor.close();
	}
}

async function open(target: Target, tokens: string[]): Promise<FromClients> {
	const started = now();
	editors = tokens.map((token) => editorOf(target, token));
	await Promise.all(editors.map((e) => e.connected));
	await Promise.all(editors.map((e) => e.join()));
	return { type: 'opened', ms: now() - started };
}

async function move(plan: MovePlan): Promise<FromClients> {
	const sent = new Map<string, { at: number; by: number }>();
	const samples: number[] = [];
	const seen: [string, number][] = [];
	// One sighting per move and screen: a card set again to the same place later (a server
	// correction rewrites it) is not a later delivery of the move.
	const counted = new Set<string>();
	editors.forEach((editor, index) => {
		cardsOf(editor.doc).observe((event) => {
			const at = now();
			for (const taskId of event.keysChanged) {
				const rank = cardsOf(editor.doc).get(taskId)?.rank;
				const move = rank === undefined ? undefined : sent.get(rank);
				if (!move || move.by === index || counted.has(`${rank} ${index}`)) continue;
				counted.add(`${rank} ${index}`);
				samples.push(at - move.at);
				seen.push([rank!, at]);
			}
		});
	});
	const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
	let counter = 0;
	const cpu = process.cpuUsage();
	const started = now();
	const until = started + plan.seconds * 1000;
	await Promise.all(
		editors.map(async (editor, index) => {
			const [min, max] = plan.gapMs;
			for (;;) {
				await new Promise((r) => setTimeout(r, min + Math.random() * (max - min)));
				if (now() >= until) return;
				// A valid fractional index, unique to this move: 'a0' + base-36 digits, never ending in '0'.
				const rank = `a0${(++counter).toString(36)}V`;
				const placement: Placement = { teamId: pick(plan.teams), assigneeId: null, day: pick(plan.days), start: null, rank };
				const taskId = pick(plan.tasks);
				sent.set(rank, { at: now(), by: index });
				editor.doc.transact(() => cardsOf(editor.doc).set(taskId, placement));
			}
		})
	);
	const expected = sent.size * (editors.length - 1);
	// Wait for the backlog, however long it is, until nothing new arrives for `quietMs`: a move
	// overwritten by a later move of the same card before a screen heard it is never seen there.
	const deadline = now() + plan.drainMs;
	let lastCount = -1;
	let lastChange = now();
	while (samples.length < expected && now() < deadline && now() - lastChange < plan.quietMs) {
		if (samples.length !== lastCount) [lastCount, lastChange] = [samples.length, now()];
		await new Promise((r) => setTimeout(r, 50));
	}
	const drainedMs = now() - until;
	// Let the last corrections and concurrent overwrites settle before comparing the documents.
	const fingerprint = (doc: Y.Doc) => JSON.stringify([...cardsOf(doc).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
	let converged = false;
	for (let i = 0; i < 20 && !converged; i++) {
		const first = fingerprint(editors[0].doc);
		converged = editors.every((e) => fingerprint(e.doc) === first);
		if (!converged) await new Promise((r) => setTimeout(r, 100));
	}
	const used = process.cpuUsage(cpu);
	return {
		type: 'moved',
		report: {
			moves: sent.size,
			expected,
			samples,
			sent: Object.fromEntries([...sent].map(([rank, { at }]) => [rank, at])),
			seen,
			refused: editors.reduce((n, e) => n + e.refused, 0),
			converged,
			drainedMs,
			cpuPercent: Math.round((used.user + used.system) / 10 / (now() - started))
		}
	};
}

process.on('message', (message: ToClients) => {
	const answer =
		message.type === 'join'
			? joinOnce(message.target, message.token)
			: message.type === 'open'
				? open(message.target, message.tokens)
				: message.type === 'move'
					? move(message.plan)
					: Promise.resolve<FromClients>({ type: 'closed' }).finally(() => {
							editors.forEach((e) => e.close());
							editors = [];
						});
	answer.then(send, (err: Error) => send({ type: 'failed', message: err.message }));
});
process.on('disconnect', () => {
	editors.forEach((e) => e.close());
	process.exit(0);
});
