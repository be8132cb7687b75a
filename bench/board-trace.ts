/**
 * Where a board move's time goes on the server, measured from outside the hub (the bench does
 * not change the code it measures): a listener beside the hub's on every socket notes when each
 * move arrives, the pg client notes each statement and transaction, and the socket.io
 * broadcast notes when the move leaves for the other screens. Moves are told apart by their
 * rank, which the clients make unique and which the Yjs update carries in clear.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { RealtimeServer, RealtimeSocket } from '../src/lib/server/realtime/types';
import { fromWire } from '../src/lib/board/wire';

/** Milliseconds since the epoch with sub-millisecond precision: the same clock in both processes. */
export const now = () => performance.timeOrigin + performance.now();

/** The ranks of the placements an update writes (empty for anything else). */
export function ranksInUpdate(update: Uint8Array): string[] {
	try {
		return Y.decodeUpdate(update).structs.flatMap((s) =>
			s instanceof Y.Item && s.content instanceof Y.ContentAny
				? s.content.getContent().flatMap((p) => (p && typeof p === 'object' && 'rank' in p ? [String((p as { rank: unknown }).rank)] : []))
				: []
		);
	} catch {
		return [];
	}
}

/** The ranks a y-protocols message carries when it is an update or a step 2. */
export function ranksInMessage(message: Uint8Array): string[] {
	const decoder = decoding.createDecoder(new Uint8Array(message));
	const type = decoding.readVarUint(decoder);
	if (type !== syncProtocol.messageYjsUpdate && type !== syncProtocol.messageYjsSyncStep2) return [];
	return ranksInUpdate(decoding.readVarUint8Array(decoder));
}

/** Statements by what they are for, so the report reads as the hub's pipeline. */
const KINDS: [RegExp, string][] = [
	[/^begin$/i, 'begin'],
	[/^commit$/i, 'commit'],
	[/^rollback$/i, 'rollback'],
	[/set_config\('role', 'authenticated'/, 'set role and claims'],
	[/set_config\('role', 'service_role'/, 'set service role'],
	[/for update/, 'lock document row'],
	[/from public\.tasks where site_id = \$1 and id = any/, 'read touched tasks'],
	[/array\(select id from public\.teams/, 'read site teams and people'],
	[/^\s*update public\.tasks/, 'project into tasks (+ triggers)'],
	[/insert into public\.board_updates/, 'append update'],
	[/update public\.board_documents set snapshot/, 'compaction: write snapshot'],
	[/delete from public\.board_updates/, 'compaction: delete updates'],
	[/update public\.board_documents set last_seq/, 'bump last_seq'],
	[/from public\.board_updates where document_id/, 'read updates (catch up)'],
	[/0::bigint as seq, d\.snapshot/, 'read document (snapshot + updates)'],
	[/planned_on between \$2 and \$3/, "read the week's tasks (load, resync)"]
];
const kindOf = (text: string) => KINDS.find(([re]) => re.test(text))?.[1] ?? text.replace(/\s+/g, ' ').trim().slice(0, 60);

export interface Tx {
	begin: number;
	lock?: [number, number];
	ranks: string[];
	/** Whether it read the whole week from `tasks` (a load or a resync). */
	week?: boolean;
}

export interface MoveTimeline {
	received?: number;
	begin?: number;
	lock?: [number, number];
	commit?: [number, number];
	broadcast?: number;
}

/**
 * Times every statement of every pg connection of this process (by kind) and every transaction
 * (begin to commit done), and hands each transaction that appends board updates to `onCommit`
 * with the ranks those updates carry. `stop()` restores the pg client.
 */
export function traceStatements(onCommit: (tx: Tx & { commit: [number, number] }) => void = () => {}) {
	const statements = new Map<string, number[]>();
	/** Durations of the transactions that carried moves, and of those that re-read the week. */
	const transactions = { moves: [] as number[], week: [] as number[], other: [] as number[] };
	const bytes = { updates: 0, snapshots: 0, compactions: 0 };
	const open = new WeakMap<pg.Client, Tx>();

	const query = pg.Client.prototype.query;
	pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
		const config = args[0] as string | { text?: string };
		const text = typeof config === 'string' ? config : (config?.text ?? '');
		const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : [];
		const kind = kindOf(text);
		const started = now();
		if (kind === 'begin') open.set(this, { begin: started, ranks: [] });
		const tx = open.get(this);
		if (tx && kind === "read the week's tasks (load, resync)") tx.week = true;
		if (tx && kind === 'append update' && values[3] instanceof Uint8Array) {
			tx.ranks.push(...ranksInUpdate(values[3]));
			bytes.updates += values[3].byteLength;
		}
		if (kind === 'compaction: write snapshot' && values[1] instanceof Uint8Array) {
			bytes.snapshots += values[1].byteLength;
			bytes.compactions++;
		}
		const done = () => {
			const ended = now();
			const list = statements.get(kind) ?? [];
			list.push(ended - started);
			statements.set(kind, list);
			if (!tx) return;
			if (kind === 'lock document row') tx.lock = [started, ended];
			if (kind === 'commit' || kind === 'rollback') {
				(tx.week ? transactions.week : tx.ranks.length ? transactions.moves : transactions.other).push(ended - tx.begin);
				if (kind === 'commit') onCommit({ ...tx, commit: [started, ended] });
				open.delete(this);
			}
		};
		const last = args.length - 1;
		if (typeof args[last] === 'function') {
			const callback = args[last] as (...r: unknown[]) => void;
			args[last] = (...r: unknown[]) => {
				done();
				callback(...r);
			};
			return (query as (...a: unknown[]) => unknown).apply(this, args);
		}
		const result = (query as (...a: unknown[]) => unknown).apply(this, args);
		if (result instanceof Promise) result.then(done, done);
		return result;
	} as typeof query;

	return {
		statements,
		transactions,
		bytes,
		stop() {
			pg.Client.prototype.query = query;
		}
	};
}

/** Starts tracing a realtime node's board moves; `stop()` undoes every patch and returns what was seen. */
export function traceRelais(io: RealtimeServer) {
	const moves = new Map<string, MoveTimeline>();
	const timeline = (rank: string) => {
		let t = moves.get(rank);
		if (!t) moves.set(rank, (t = {}));
		return t;
	};
	const sql = traceStatements((tx) => {
		for (const rank of tx.ranks) Object.assign(timeline(rank), { begin: tx.begin, lock: tx.lock, commit: tx.commit });
	});
	const { statements, transactions, bytes } = sql;

	// The broadcast of a move to the other screens of the board.
	const operator = Object.getPrototypeOf(io.to('trace')) as { emit: (ev: string, ...args: unknown[]) => boolean };
	const emit = operator.emit;
	operator.emit = function (this: unknown, ev: string, ...args: unknown[]) {
		const bytes = ev === 'board_sync' ? fromWire(args[1]) : null;
		if (bytes) {
			const at = now();
			for (const rank of ranksInMessage(bytes)) timeline(rank).broadcast ??= at;
		}
		return emit.call(this, ev, ...args);
	};

	// Arrival, noted by a listener registered after the hub's on each new socket.
	const onConnection = (socket: RealtimeSocket) =>
		socket.on('board_sync', (_key, message: unknown) => {
			const bytes = fromWire(message);
			if (!bytes) return;
			const at = now();
			for (const rank of ranksInMessage(bytes)) timeline(rank).received ??= at;
		});
	io.on('connection', onConnection);

	const loop = monitorEventLoopDelay({ resolution: 5 });
	return {
		/** Starts counting (after the editors joined): moves, statements and the event loop. */
		start() {
			moves.clear();
			statements.clear();
			Object.values(transactions).forEach((list) => (list.length = 0));
			Object.assign(bytes, { updates: 0, snapshots: 0, compactions: 0 });
			loop.reset();
			loop.enable();
		},
		stop() {
			loop.disable();
			sql.stop();
			operator.emit = emit;
			io.off('connection', onConnection);
			return {
				moves,
				statements,
				transactions,
				bytes,
				loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
			};
		}
	};
}

/**
 * Hocuspocus applies and broadcasts an update in one synchronous step: its `onChange` hook
 * runs in that step, so one timestamp per move stands for both arrival and broadcast.
 */
export function traceHocuspocus() {
	const applied = new Map<string, number>();
	const loop = monitorEventLoopDelay({ resolution: 5 });
	let on = false;
	return {
		onChange({ update }: { update: Uint8Array }) {
			if (!on) return;
			const at = now();
			for (const rank of ranksInUpdate(update)) if (!applied.has(rank)) applied.set(rank, at);
		},
		start() {
			applied.clear();
			on = true;
			loop.reset();
			loop.enable();
		},
		stop() {
			on = false;
			loop.disable();
			return { applied, loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
		}
	};
}
