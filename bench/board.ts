/**
 * Board bench: one site's week with 2,000 cards, run through Relais and, in the same process
 * against the same Postgres, through `@hocuspocus/server` (the best-known Yjs backend).
 *
 * For each backend:
 * - cold load: a fresh server, one screen joins, until its document holds the board (server
 *   reads the document from Postgres first); server-only load timed apart;
 * - warm join: another screen joins the same board on that server, already in memory;
 * - moves: `editors` screens each move a random card every 200–500 ms for `seconds`; latency
 *   from the mover's local change to each other screen seeing it (p50/p95/p99/max);
 * - persisted bytes: what Postgres holds for the document afterwards.
 *
 * The moves run in `rounds` pairs in the order Relais, Hocuspocus, then Hocuspocus, Relais, and
 * so on: whatever else the machine does drifts over a minute, and alternating spreads that drift
 * over both backends instead of charging it to whichever ran second. Each round is printed and
 * the samples of all rounds are pooled for the verdict.
 *
 * Both relay a move at once. Relais does more per move than the peer: it checks who sent it,
 * then writes it in a batch (a burst shares one transaction): applied under the document's row
 * lock, projected into `tasks` under RLS (with the tasks triggers: audit, change log) and
 * appended to the update log; Hocuspocus stores the whole document 2 s after the last change.
 * The output says where Relais's time goes (relay, batch, each statement).
 *
 * Both backends run the same Yjs code in both processes, so whichever ran first would pay for
 * warming the JIT for the other: a short unreported round of each runs before the measured ones.
 *
 * `--adapter postgres|redis` runs Relais's moves with the socket.io adapter several nodes share
 * (one node here): what scaling out adds to a move. The default, `none`, is one node alone.
 *
 *   npm run bench -- board [--cards 2000] [--editors 20] [--seconds 15] [--rounds 2] [--reps 5] [--teams 8]
 *                          [--adapter none|postgres|redis]
 *                          [--what-if no-resync] [--what-if async-commit]   (diagnosis only)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import * as Y from 'yjs';
import { boardKey, cardsOf, type BoardRef } from '../src/lib/board/model';
import { ensureDatabase } from '../src/lib/server/boot';
import { asService, getPool } from '../src/lib/server/db/pool';
import { reconcile, tasksPlannedIn } from '../src/lib/server/board/store';
import { createRealtime, type Realtime } from '../src/lib/server/realtime';
import type { AdapterChoice } from '../src/lib/server/realtime/adapter';
import type { FromClients, MovePlan, MoveReport, Target, ToClients } from './board-clients';
import { createBoardFixture, type BoardFixture } from './board-fixture';
import { createPeerStore, startPeer } from './board-hocuspocus';
import { now, traceHocuspocus, traceRelais, traceStatements, type MoveTimeline } from './board-trace';

type PeerStore = Awaited<ReturnType<typeof createPeerStore>>;

const ORIGIN = 'http://bench.relais';
const PERIOD = '2030-W05';
// After the moves, wait for the backlog (at most this long, or until nothing arrives for QUIET_MS).
const DRAIN_MS = 45_000;
const QUIET_MS = 3_000;

interface Options {
	cards: number;
	editors: number;
	seconds: number;
	/** Pairs of move phases, alternating which backend goes first. */
	rounds: number;
	reps: number;
	teams: number;
	/** The socket.io adapter of Relais's node during the moves. */
	adapter: AdapterChoice;
	/** 'no-resync': the hub's resync after task changes switched off; 'async-commit': synchronous_commit off. */
	whatIf: string[];
}

export async function main(args: string[]): Promise<void> {
	const { values } = parseArgs({
		args,
		options: {
			cards: { type: 'string', default: '2000' },
			editors: { type: 'string', default: '20' },
			seconds: { type: 'string', default: '15' },
			rounds: { type: 'string', default: '2' },
			reps: { type: 'string', default: '5' },
			teams: { type: 'string', default: '8' },
			adapter: { type: 'string', default: 'none' },
			// Diagnosis only, never the default: what the moves phase gives with one cause removed.
			'what-if': { type: 'string', multiple: true, default: [] }
		}
	});
	const options: Options = {
		cards: Number(values.cards),
		editors: Number(values.editors),
		seconds: Number(values.seconds),
		rounds: Number(values.rounds),
		reps: Number(values.reps),
		teams: Number(values.teams),
		adapter: adapterChoice(values.adapter),
		whatIf: values['what-if']
	};

	const pool = getPool(await ensureDatabase(() => {}));
	console.log(`seeding ${options.cards} planned tasks in ${options.teams} teams, ${options.editors} team leads…`);
	const fixture = await createBoardFixture(pool, { cards: options.cards, editors: options.editors, teams: options.teams, period: PERIOD });
	const peerStore = await createPeerStore(pool);
	const child = fork(new URL('./board-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
	try {
		console.log('warming up both backends (not reported)…');
		await muted(async () => {
			const warmUp = { ...options, seconds: 3, reps: 1 };
			const { state } = await relaisJoins(pool, fixture, child, warmUp);
			await hocuspocusJoins(fixture, child, warmUp, peerStore, state);
			await relaisMoves(pool, fixture, child, warmUp);
			await hocuspocusMoves(pool, fixture, child, warmUp, peerStore);
		});
		const relaisJoined = await relaisJoins(pool, fixture, child, options);
		const hocuspocusJoined = await hocuspocusJoins(fixture, child, options, peerStore, relaisJoined.state);
		const relaisRounds: RelaisRound[] = [];
		const hocuspocusRounds: HocuspocusRound[] = [];
		for (let r = 0; r < options.rounds; r++) {
			const relaisFirst = r % 2 === 0;
			if (relaisFirst) relaisRounds.push(await relaisMoves(pool, fixture, child, options));
			hocuspocusRounds.push(await hocuspocusMoves(pool, fixture, child, options, peerStore));
			if (!relaisFirst) relaisRounds.push(await relaisMoves(pool, fixture, child, options));
		}
		const relais = relaisResult(relaisJoined, relaisRounds);
		const hocuspocus = hocuspocusResult(hocuspocusJoined, hocuspocusRounds);
		const targets = {
			load_le_300ms: relais.coldLoadMs <= 300,
			move_p95_le_50ms: relais.moveP95 <= 50,
			not_slower_than_hocuspocus: relais.moveP95 <= hocuspocus.moveP95 && relais.coldLoadMs <= hocuspocus.coldLoadMs
		};
		console.log(
			`move p95 by round: relais ${relaisRounds.map((r) => summary(r.report.samples).p95).join(' / ')} ms, ` +
				`hocuspocus ${hocuspocusRounds.map((r) => summary(r.report.samples).p95).join(' / ')} ms; ` +
				`pooled: relais p50 ${relais.moveP50} p95 ${relais.moveP95} ms, hocuspocus p50 ${hocuspocus.moveP50} p95 ${hocuspocus.moveP95} ms`
		);
		console.log(`targets: ${Object.entries(targets).map(([k, ok]) => `${k} ${ok ? 'met' : 'MISSED'}`).join(', ')}`);
		console.log(
			JSON.stringify({
				bench: 'board',
				cards: options.cards,
				editors: options.editors,
				seconds: options.seconds,
				rounds: options.rounds,
				adapter: options.adapter.kind,
				cores: os.availableParallelism(),
				...(options.whatIf.length ? { whatIf: options.whatIf } : {}),
				relais,
				hocuspocus,
				targets
			})
		);
	} finally {
		child.disconnect();
		await peerStore.drop();
		await fixture.drop();
	}
}

// ─── the child process ───────────────────────────────────────────────────────────────────────

function ask<T extends FromClients['type']>(child: ChildProcess, message: ToClients, reply: T) {
	return new Promise<Extract<FromClients, { type: T }>>((resolve, reject) => {
		const onMessage = (answer: FromClients) => {
			if (answer.type !== reply && answer.type !== 'failed') return;
			child.off('message', onMessage).off('exit', onExit);
			if (answer.type === 'failed') reject(new Error(`client process: ${answer.message}`));
			else resolve(answer as Extract<FromClients, { type: T }>);
		};
		const onExit = (code: number | null) => reject(new Error(`the client process exited (${code}) before answering`));
		child.on('message', onMessage).once('exit', onExit);
		child.send(message);
	});
}

// ─── Relais ──────────────────────────────────────────────────────────────────────────────────

interface Node {
	realtime: Realtime;
	port: number;
	errors: string[];
	close(): Promise<void>;
}

function adapterChoice(kind: string | undefined): AdapterChoice {
	if (kind === 'none' || kind === 'postgres') return { kind };
	// Its own channel prefix: the bench must not talk to app nodes sharing this Redis.
	if (kind === 'redis') return { kind, url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', key: 'relais-bench' };
	throw new Error(`--adapter: none, postgres or redis, not ${kind}`);
}

/** A Relais realtime server (socket.io + board hub) on a free port, as server.js builds it. */
async function startNode(pool: pg.Pool, adapter: AdapterChoice = { kind: 'none' }): Promise<Node> {
	const server = http.createServer();
	const errors: string[] = [];
	const realtime = await createRealtime(server, { pool, allowedOrigins: [ORIGIN], adapter, log: (line) => errors.push(line) });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		realtime,
		port: (server.address() as AddressInfo).port,
		errors,
		async close() {
			await realtime.close();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}


interface Joins {
	cold: number[];
	serverLoad: number[];
	warm: number[];
}

/** The first build from `tasks`, then `reps` cold and warm joins on fresh servers. */
async function relaisJoins(pool: pg.Pool, fixture: BoardFixture, child: ChildProcess, options: Options) {
	const ref: BoardRef = { siteId: fixture.siteId, period: fixture.period };
	const target: Target = { backend: 'relais', port: 0, origin: ORIGIN, ref };

	// The first open builds the document from the tasks table and logs it as one update.
	let node = await startNode(pool);
	let started = now();
	const built = await node.realtime.boards.snapshot(ref.siteId, ref.period);
	const firstBuildMs = now() - started;
	const state = Y.encodeStateAsUpdate(built);
	console.log(`relais: document built from the tasks table in ${ms(firstBuildMs)} (${cardsOf(built).size} cards, state ${kb(state.byteLength)})`);
	await node.close();

	const joins: Joins = { cold: [], serverLoad: [], warm: [] };
	for (let i = 0; i < options.reps; i++) {
		node = await startNode(pool);
		const first = await ask(child, { type: 'join', target: { ...target, port: node.port }, token: fixture.tokens[0] }, 'joined');
		const second = await ask(child, { type: 'join', target: { ...target, port: node.port }, token: fixture.tokens[1] }, 'joined');
		if (first.cards !== options.cards || second.cards !== options.cards) throw new Error(`a screen got ${first.cards}/${second.cards} cards`);
		joins.cold.push(first.joinMs);
		joins.warm.push(second.joinMs);
		await node.close();
		node = await startNode(pool);
		started = now();
		await node.realtime.boards.snapshot(ref.siteId, ref.period);
		joins.serverLoad.push(now() - started);
		await node.close();
	}
	printJoins('relais', joins);
	await relaisLoadBreakdown(pool, ref);
	return { state, firstBuildMs, joins };
}

type RelaisRound = Awaited<ReturnType<typeof relaisMoves>>;

/** One moves phase on a fresh node, traced; the document and the table are compared after it. */
async function relaisMoves(pool: pg.Pool, fixture: BoardFixture, child: ChildProcess, options: Options) {
	const ref: BoardRef = { siteId: fixture.siteId, period: fixture.period };
	const target: Target = { backend: 'relais', port: 0, origin: ORIGIN, ref };
	const movePool = options.whatIf.includes('async-commit')
		? new pg.Pool({ connectionString: (pool.options as { connectionString: string }).connectionString, max: 10, options: '-c synchronous_commit=off' })
		: pool;
	const node = await startNode(movePool, options.adapter);
	if (options.adapter.kind !== 'none') console.log(`relais: moves through the ${options.adapter.kind} adapter`);
	if (options.whatIf.includes('no-resync')) node.realtime.boards.tasksChanged = () => {};
	if (options.whatIf.length) console.log(`relais: WHAT-IF run (${options.whatIf.join(', ')}): not the system as it is`);
	const trace = traceRelais(node.realtime.io);
	const opened = await ask(child, { type: 'open', target: { ...target, port: node.port }, tokens: fixture.tokens }, 'opened');
	console.log(`relais: ${options.editors} editors joined in ${ms(opened.ms)}; moving for ${options.seconds} s…`);
	const before = await usage(pool);
	const probe = await probeRoundTrips(pool);
	trace.start();
	const { report } = await ask(child, { type: 'move', plan: movePlan(fixture, options) }, 'moved');
	const traced = trace.stop();
	const roundTrip = summary(await probe.stop());
	const used = await usage(pool, before);
	await ask(child, { type: 'close' }, 'closed');
	const serverDoc = await node.realtime.boards.snapshot(ref.siteId, ref.period);
	const compactedBytes = Y.encodeStateAsUpdate(serverDoc).byteLength;
	const projectionMatches = await projectionMatchesDocument(pool, ref, serverDoc);
	const errors = node.errors.filter((line) => line.startsWith('[board]'));
	// Shutting down writes what waits and folds the log, as the quiet board would 2 s later.
	await node.close();
	const persisted = await relaisPersisted(pool, ref);
	if (movePool !== pool) await movePool.end();
	printMoves('relais', report, summary(report.samples), used, traced.loopDelay, roundTrip);
	if (errors.length) console.log(`relais: ${errors.length} board errors, first: ${errors[0]}`);
	return { report, traced, used, roundTrip, hops: relaisHops(report, traced.moves), persisted, compactedBytes, projectionMatches };
}

/** The rounds pooled: where a move's time goes, the statements, what was written; the JSON result. */
function relaisResult(joined: Awaited<ReturnType<typeof relaisJoins>>, rounds: RelaisRound[]) {
	const report = pooled(rounds.map((r) => r.report));
	const hops = mergeLists(rounds.map((r) => r.hops));
	console.log(`relais, ${rounds.length} rounds pooled: where a move's time goes (p50 / p95 over moves, ms):`);
	for (const [name, values] of Object.entries(hops)) console.log(`  ${name.padEnd(34)} ${fmt(summary(values))}`);
	console.log(`relais: statements during the moves (count, p50 / p95 / max ms):`);
	const statements = mergeLists(rounds.map((r) => Object.fromEntries(r.traced.statements)));
	for (const [kind, values] of Object.entries(statements).sort((a, b) => sum(b[1]) - sum(a[1]))) {
		const s = summary(values);
		console.log(`  ${kind.padEnd(34)} ${String(values.length).padStart(6)}  ${s.p50} / ${s.p95} / ${s.max}  (total ${Math.round(sum(values))} ms)`);
	}
	const transactions = mergeLists(rounds.map((r) => r.traced.transactions));
	for (const [kind, durations] of Object.entries(transactions)) {
		const tx = summary(durations);
		if (tx.count) console.log(`relais: ${tx.count} transactions (${kind === 'week' ? 'reading the whole week: resync' : kind}), p50 ${tx.p50} ms, p95 ${tx.p95} ms, max ${tx.max} ms, total ${Math.round(sum(durations))} ms`);
	}
	const last = rounds.at(-1)!;
	const written = { updates: sum(rounds.map((r) => r.traced.bytes.updates)), snapshots: sum(rounds.map((r) => r.traced.bytes.snapshots)), compactions: sum(rounds.map((r) => r.traced.bytes.compactions)) };
	const walBytes = sum(rounds.map((r) => r.used.walBytes));
	const projectionMatches = rounds.every((r) => r.projectionMatches);
	console.log(
		`relais: persisted ${kb(last.persisted.bytes)} (snapshot ${kb(last.persisted.snapshot)} + ${last.persisted.updates} updates ${kb(last.persisted.updateBytes)}); ` +
			`the state alone ${kb(last.compactedBytes)}; written during the moves: ${kb(written.updates)} of updates, ${written.compactions} snapshots ${kb(written.snapshots)}, WAL ${kb(walBytes)}; ` +
			`tasks table equals the document after every round: ${projectionMatches}`
	);
	return {
		firstBuildMs: round(joined.firstBuildMs),
		...commonResult(joined.joins, report, rounds),
		refused: report.refused,
		persistedBytes: last.persisted.bytes,
		compactedBytes: last.compactedBytes,
		compactionsDuringMoves: written.compactions,
		resyncs: transactions.week?.length ?? 0,
		projectionMatches,
		breakdown: Object.fromEntries(Object.entries(hops).map(([k, v]) => [k, { p50: summary(v).p50, p95: summary(v).p95 }]))
	};
}

async function relaisPersisted(pool: pg.Pool, ref: BoardRef) {
	const { rows } = await pool.query<{ snapshot: number; updates: number; update_bytes: number }>(
		`select length(d.snapshot)::int as snapshot, count(u.seq)::int as updates, coalesce(sum(length(u.payload)), 0)::int as update_bytes
		   from public.board_documents d left join public.board_updates u on u.document_id = d.id
		  where d.site_id = $1 and d.period = $2 group by d.id`,
		[ref.siteId, ref.period]
	);
	const r = rows[0];
	return { snapshot: r.snapshot, updates: r.updates, updateBytes: r.update_bytes, bytes: r.snapshot + r.update_bytes };
}

/** One more cold server load, its statements timed, and the Yjs work of a load timed apart. */
async function relaisLoadBreakdown(pool: pg.Pool, ref: BoardRef) {
	const node = await startNode(pool);
	const sql = traceStatements();
	let started = now();
	await node.realtime.boards.snapshot(ref.siteId, ref.period);
	const total = now() - started;
	sql.stop();
	await node.close();
	const parts = [...sql.statements].map(([kind, times]) => `${kind} ${round(sum(times))}`).join(', ');

	const { rows } = await pool.query<{ snapshot: Buffer; payloads: Buffer[] }>(
		`select d.snapshot, array(select u.payload from public.board_updates u where u.document_id = d.id order by u.seq) as payloads
		   from public.board_documents d where d.site_id = $1 and d.period = $2`,
		[ref.siteId, ref.period]
	);
	started = now();
	const doc = new Y.Doc();
	if (rows[0].snapshot.length) Y.applyUpdate(doc, rows[0].snapshot);
	if (rows[0].payloads.length) Y.applyUpdate(doc, Y.mergeUpdates(rows[0].payloads));
	const applyMs = now() - started;
	const tasks = await asService(pool, (q) => tasksPlannedIn(q, ref.siteId, ref.period));
	started = now();
	reconcile(doc, tasks, 'bench');
	const reconcileMs = now() - started;
	started = now();
	const encoded = Y.encodeStateAsUpdate(doc);
	const encodeMs = now() - started;
	console.log(
		`relais: one cold server load ${ms(total)}: SQL ${ms(sum([...sql.statements.values()].flat()))} (${parts}); ` +
			`Yjs: apply snapshot + ${rows[0].payloads.length} updates ${ms(applyMs)}, reconcile with ${tasks.length} task rows ${ms(reconcileMs)}; ` +
			`a join then encodes the state (${kb(encoded.byteLength)}) in ${ms(encodeMs)}`
	);
}

/** Whether `tasks` says what the document says, card for card (the projection's promise). */
async function projectionMatchesDocument(pool: pg.Pool, ref: BoardRef, doc: Y.Doc): Promise<boolean> {
	const { rows } = await pool.query<{ id: string; team_id: string | null; planned_on: string; board_rank: string }>(
		`select id, team_id, to_char(planned_on, 'YYYY-MM-DD') as planned_on, board_rank from public.tasks where site_id = $1 and planned_on is not null`,
		[ref.siteId]
	);
	const cards = cardsOf(doc);
	return rows.length === cards.size && rows.every((r) => {
		const p = cards.get(r.id);
		return p !== undefined && p.teamId === r.team_id && p.day === r.planned_on && p.rank === r.board_rank;
	});
}

/** Per move, the hops from the mover to the others, from the client and server timestamps. */
/** Per move, the hops from the mover to the others, from the client and server timestamps. */
function relaisHops(report: MoveReport, moves: Map<string, MoveTimeline>) {
	const hops: Record<string, number[]> = {
		'client → server (socket)': [],
		'server: arrival → relayed': [],
		'relayed → seen (p50 of screens)': [],
		'total (p50 of screens)': [],
		'relayed → written (batch committed)': [],
		'  write transaction (begin → commit)': [],
		'    of which lock wait': [],
		'    of which commit (WAL flush)': []
	};
	const seenBy = new Map<string, number[]>();
	for (const [rank, at] of report.seen) seenBy.set(rank, [...(seenBy.get(rank) ?? []), at]);
	for (const [rank, sent] of Object.entries(report.sent)) {
		const t = moves.get(rank);
		const seen = seenBy.get(rank);
		if (!t?.received || !t.broadcast || !seen) continue;
		hops['client → server (socket)'].push(t.received - sent);
		hops['server: arrival → relayed'].push(t.broadcast - t.received);
		hops['relayed → seen (p50 of screens)'].push(median(seen) - t.broadcast);
		hops['total (p50 of screens)'].push(median(seen) - sent);
		if (!t.begin || !t.commit) continue;
		hops['relayed → written (batch committed)'].push(t.commit[1] - t.broadcast);
		hops['  write transaction (begin → commit)'].push(t.commit[1] - t.begin);
		if (t.lock) hops['    of which lock wait'].push(t.lock[1] - t.lock[0]);
		hops['    of which commit (WAL flush)'].push(t.commit[1] - t.commit[0]);
	}
	return hops;
}

// ─── Hocuspocus ──────────────────────────────────────────────────────────────────────────────

const peerName = (fixture: BoardFixture) => `board:${boardKey({ siteId: fixture.siteId, period: fixture.period })}`;

/** The peer starts from the same board Relais built; `reps` cold and warm joins on fresh servers. */
async function hocuspocusJoins(fixture: BoardFixture, child: ChildProcess, options: Options, store: PeerStore, state: Uint8Array) {
	const name = peerName(fixture);
	await store.seed(name, state);
	const target: Target = { backend: 'hocuspocus', port: 0, name };
	const joins: Joins = { cold: [], serverLoad: [], warm: [] };
	for (let i = 0; i < options.reps; i++) {
		let peer = await startPeer(store);
		const first = await ask(child, { type: 'join', target: { ...target, port: peer.port }, token: fixture.tokens[0] }, 'joined');
		const second = await ask(child, { type: 'join', target: { ...target, port: peer.port }, token: fixture.tokens[1] }, 'joined');
		if (first.cards !== options.cards || second.cards !== options.cards) throw new Error(`a screen got ${first.cards}/${second.cards} cards`);
		joins.cold.push(first.joinMs);
		joins.warm.push(second.joinMs);
		await peer.close();
		peer = await startPeer(store);
		const started = now();
		const direct = await peer.server.hocuspocus.openDirectConnection(name);
		joins.serverLoad.push(now() - started);
		await direct.disconnect();
		await peer.close();
	}
	printJoins('hocuspocus', joins);
	return { joins };
}

type HocuspocusRound = Awaited<ReturnType<typeof hocuspocusMoves>>;

async function hocuspocusMoves(pool: pg.Pool, fixture: BoardFixture, child: ChildProcess, options: Options, store: PeerStore) {
	const name = peerName(fixture);
	const target: Target = { backend: 'hocuspocus', port: 0, name };
	const trace = traceHocuspocus();
	const peer = await startPeer(store, (payload) => trace.onChange(payload));
	const opened = await ask(child, { type: 'open', target: { ...target, port: peer.port }, tokens: fixture.tokens }, 'opened');
	console.log(`hocuspocus: ${options.editors} editors joined in ${ms(opened.ms)}; moving for ${options.seconds} s…`);
	const before = await usage(pool);
	const probe = await probeRoundTrips(pool);
	Object.assign(store.stored, { calls: 0, bytes: 0 });
	trace.start();
	const { report } = await ask(child, { type: 'move', plan: movePlan(fixture, options) }, 'moved');
	const movedAt = now();
	const traced = trace.stop();
	const roundTrip = summary(await probe.stop());
	const used = await usage(pool, before);
	await ask(child, { type: 'close' }, 'closed');
	// The last screen leaving makes Hocuspocus store the document: wait for that write.
	const deadline = Date.now() + 15_000;
	while (store.stored.lastAt < movedAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
	const persistedBytes = await store.persistedBytes(name);
	const stored = { ...store.stored };
	await peer.close();
	printMoves('hocuspocus', report, summary(report.samples), used, traced.loopDelay, roundTrip);

	const hops = { 'client → server (applied, broadcast)': [] as number[], 'broadcast → seen (p50 of screens)': [] as number[] };
	const seenBy = new Map<string, number[]>();
	for (const [rank, at] of report.seen) seenBy.set(rank, [...(seenBy.get(rank) ?? []), at]);
	for (const [rank, sent] of Object.entries(report.sent)) {
		const applied = traced.applied.get(rank);
		const seen = seenBy.get(rank);
		if (!applied || !seen) continue;
		hops['client → server (applied, broadcast)'].push(applied - sent);
		hops['broadcast → seen (p50 of screens)'].push(median(seen) - applied);
	}
	return { report, used, roundTrip, hops, persistedBytes, stored };
}

function hocuspocusResult(joined: Awaited<ReturnType<typeof hocuspocusJoins>>, rounds: HocuspocusRound[]) {
	const report = pooled(rounds.map((r) => r.report));
	const hops = mergeLists(rounds.map((r) => r.hops));
	console.log(`hocuspocus, ${rounds.length} rounds pooled: where a move's time goes (p50 / p95 over moves, ms):`);
	for (const [k, v] of Object.entries(hops)) console.log(`  ${k.padEnd(34)} ${fmt(summary(v))}`);
	const last = rounds.at(-1)!;
	console.log(
		`hocuspocus: persisted ${kb(last.persistedBytes)} (one row, the whole state); written during the moves and at the last screen's exit: ` +
			`${sum(rounds.map((r) => r.stored.calls))} stores, ${kb(sum(rounds.map((r) => r.stored.bytes)))}, WAL during the moves ${kb(sum(rounds.map((r) => r.used.walBytes)))}`
	);
	return {
		...commonResult(joined.joins, report, rounds),
		persistedBytes: last.persistedBytes,
		stores: sum(rounds.map((r) => r.stored.calls))
	};
}

/** The numbers both backends report alike, for the final JSON line. */
function commonResult(joins: Joins, report: MoveReport, rounds: { report: MoveReport; used: Usage; roundTrip: Summary }[]) {
	const latency = summary(report.samples);
	return {
		coldLoadMs: round(median(joins.cold)),
		serverLoadMs: round(median(joins.serverLoad)),
		warmJoinMs: round(median(joins.warm)),
		moveP50: latency.p50,
		moveP95: latency.p95,
		moveP99: latency.p99,
		moveMax: latency.max,
		moveP95ByRound: rounds.map((r) => summary(r.report.samples).p95),
		moves: report.moves,
		deliveries: report.samples.length,
		expected: report.expected,
		converged: report.converged,
		walBytes: sum(rounds.map((r) => r.used.walBytes)),
		serverCpuPercent: rounds.map((r) => r.used.serverCpu),
		postgresCpuPercent: rounds.map((r) => r.used.postgresCpu),
		pgRoundTripP50: rounds.map((r) => r.roundTrip.p50)
	};
}

/** Several rounds' reports as one (their ranks may repeat: only the counts and samples are pooled). */
function pooled(reports: MoveReport[]): MoveReport {
	return {
		moves: sum(reports.map((r) => r.moves)),
		expected: sum(reports.map((r) => r.expected)),
		samples: reports.flatMap((r) => r.samples),
		sent: {},
		seen: [],
		refused: sum(reports.map((r) => r.refused)),
		converged: reports.every((r) => r.converged),
		cpuPercent: Math.round(sum(reports.map((r) => r.cpuPercent)) / reports.length),
		drainedMs: Math.max(...reports.map((r) => r.drainedMs))
	};
}

function mergeLists(records: Record<string, number[]>[]): Record<string, number[]> {
	const merged: Record<string, number[]> = {};
	for (const record of records) for (const [k, v] of Object.entries(record)) (merged[k] ??= []).push(...v);
	return merged;
}

function printJoins(name: string, joins: Joins) {
	console.log(
		`${name}: cold join ${list(joins.cold)} (p50 ${ms(median(joins.cold))}), of which server load from Postgres ${list(joins.serverLoad)} (p50 ${ms(median(joins.serverLoad))}); warm join ${list(joins.warm)} (p50 ${ms(median(joins.warm))})`
	);
}

// ─── shared ──────────────────────────────────────────────────────────────────────────────────

async function muted<T>(fn: () => Promise<T>): Promise<T> {
	const log = console.log;
	console.log = () => {};
	try {
		return await fn();
	} finally {
		console.log = log;
	}
}

function movePlan(fixture: BoardFixture, options: Options): MovePlan {
	return { seconds: options.seconds, gapMs: [200, 500], teams: fixture.teams, days: fixture.days, tasks: fixture.tasks, drainMs: DRAIN_MS, quietMs: QUIET_MS };
}

function printMoves(name: string, report: MoveReport, latency: Summary, used: Usage, loop: { p50: number; p99: number; max: number }, roundTrip: Summary) {
	const missing = report.expected - report.samples.length;
	console.log(
		`${name}: ${report.moves} moves, ${report.samples.length}/${report.expected} remote sightings` +
			`${missing ? ` (${missing} not seen: overwritten by a later move of the same card, or late)` : ''}, ` +
			`latency p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms, max ${latency.max} ms; converged ${report.converged}` +
			`${report.refused ? `; ${report.refused} refusals` : ''}; drained ${ms(report.drainedMs)} after the last move`
	);
	console.log(
		`${name}: CPU server ${used.serverCpu}% of a core, editors ${report.cpuPercent}%, Postgres ${used.postgresCpu ?? '?'}%; ` +
			`server event-loop delay p50 ${round(loop.p50)} ms, p99 ${round(loop.p99)} ms, max ${round(loop.max)} ms; ` +
			`Postgres round trip (select 1) p50 ${roundTrip.p50} ms, p95 ${roundTrip.p95} ms; machine load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`
	);
}

/** `select 1` every 50 ms on a connection of its own: what one round trip costs right now. */
async function probeRoundTrips(pool: pg.Pool) {
	const client = await pool.connect();
	const samples: number[] = [];
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const started = now();
			await client.query('select 1');
			samples.push(now() - started);
			await new Promise((r) => setTimeout(r, 50));
		}
	})();
	return {
		async stop() {
			stopped = true;
			await loop;
			client.release();
			return samples;
		}
	};
}

interface Usage {
	at: number;
	cpu: NodeJS.CpuUsage;
	wal: string;
	pgTicks: Map<number, number> | null;
	serverCpu: number;
	postgresCpu: number | null;
	walBytes: number;
}

/** CPU of this process and of the Postgres processes, and WAL written, since `before`. */
async function usage(pool: pg.Pool, before?: Usage): Promise<Usage> {
	const { rows } = await pool.query<{ wal: string; dir: string; bytes: number | null }>(
		`select pg_current_wal_lsn()::text as wal, current_setting('data_directory') as dir,
		        case when $1::text is null then null else pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint end as bytes`,
		[before?.wal ?? null]
	);
	const at = now();
	const cpu = process.cpuUsage();
	const pgTicks = postgresTicks(rows[0].dir);
	if (!before) return { at, cpu, wal: rows[0].wal, pgTicks, serverCpu: 0, postgresCpu: null, walBytes: 0 };
	const elapsed = at - before.at;
	const used = process.cpuUsage(before.cpu);
	let ticks: number | null = null;
	if (pgTicks && before.pgTicks) {
		// Processes that exited meanwhile are not counted: a lower bound.
		ticks = 0;
		for (const [pid, t] of pgTicks) ticks += t - (before.pgTicks.get(pid) ?? 0);
	}
	return {
		at,
		cpu,
		wal: rows[0].wal,
		pgTicks,
		serverCpu: Math.round((used.user + used.system) / 10 / elapsed),
		// Clock ticks are 1/100 s on Linux: ticks × 10 ms / elapsed ms, in %.
		postgresCpu: ticks === null ? null : Math.round((ticks * 10 * 100) / elapsed),
		walBytes: Number(rows[0].bytes)
	};
}

/** utime + stime of the postmaster and its children, by pid, or null when not readable here. */
function postgresTicks(dataDir: string): Map<number, number> | null {
	try {
		const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
		const ticks = new Map<number, number>();
		for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
			const stat = readFileSafe(`/proc/${pid}/stat`);
			if (!stat) continue;
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(pid) === postmaster || Number(fields[1]) === postmaster) ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
		}
		return ticks;
	} catch {
		return null;
	}
}

function readFileSafe(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

interface Summary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

function summary(samples: number[]): Summary {
	const sorted = Float64Array.from(samples).sort();
	const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : NaN);
	return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? round(sorted[sorted.length - 1]) : NaN };
}

const median = (values: number[]) => summary(values).p50;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const round = (n: number) => Math.round(n * 10) / 10;
const ms = (n: number) => `${round(n)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const list = (values: number[]) => `[${values.map((v) => Math.round(v)).join(', ')}] ms`;
const fmt = (s: Summary) => `${s.p50} / ${s.p95}  (n ${s.count})`;
