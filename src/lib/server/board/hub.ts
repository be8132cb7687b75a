// Relative imports only: bundled with the realtime server outside SvelteKit.
import type pg from 'pg';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
	boardKey,
	boardRef,
	cardsOf,
	daysOf,
	holdRequest,
	periodOf,
	ranksAfter,
	rollOverRequest,
	type BoardRef,
	type JoinedBoard,
	type Period,
	type PresenceEntry
} from '../../board/model';
import { rollOver } from '../../domain/planning/end-of-day';
import type { PlanningTask, TaskStatus } from '../../domain/planning/task';
import { asService, withUser, type JwtClaims, type Sql } from '../db/pool';
import { Refusal, validated } from '../realtime/handler';
import { siteRoom } from '../realtime/rooms';
import type { RealtimeServer, RealtimeSocket } from '../realtime/types';
import { project, trackCards, updatesOf, type TouchedCards } from './projection';
import { fromWire, toWire, type WireMessage } from '../../board/wire';
import { appendUpdates, closeAppend, compact, insertUpdate, lockDocument, readStored, reconcile, tasksById, tasksPlannedIn, writtenSince } from './store';

/**
 * The planning boards of this node: one Yjs document per site and week, kept in memory while
 * someone has it open, synced with browsers over socket.io using the y-protocols messages.
 *
 * An update from a browser is refused unless the person plans at the site (a refused update is
 * never applied here, so nobody else's document sees it; the screen that sent it starts
 * afresh). An accepted one is relayed to the other screens at once and applied here, then
 * written in the next batch: under the document's row lock, after whatever other nodes wrote,
 * checked again by the database as its sender, projected into `tasks` and appended to the log.
 * Server-side changes (end of day, cards moved to another week) go through `commit`, which
 * writes first and sends after.
 */

const boardRoom = (key: string) => `board:${key}`;
// A screen shows one board; a few more cover a second tab's worth of reconnects.
const MAX_BOARDS_PER_SOCKET = 4;
/** Transaction origins: the log and broadcast treat the server's own corrections like any update. */
const FROM_CLIENT = 'client';
const FROM_SERVER = 'server';
/** The server putting back an invalid card: persisted and sent like any update. */
const FROM_CORRECTION = 'correction';
/**
 * How long screens' updates wait to be written together. The board's own screens already have
 * them; a quarter of a second lets twenty leads' moves share a transaction, and so one change
 * event to the site's other screens, instead of a few.
 */
const FLUSH_DELAY_MS = 250;
/**
 * How long a document must go without writes before its update log is folded into the snapshot:
 * the next cold load then reads one row and applies one update, as Hocuspocus's whole-document
 * store does, instead of replaying the log (see compactionDue in the store for a busy board).
 */
const COMPACT_WHEN_QUIET_MS = 2_000;
/** How long after a document is read its cards are checked against `tasks` (see load). */
const RECONCILE_AFTER_LOAD_MS = 250;

interface Entry {
	key: string;
	siteId: string;
	period: Period;
	documentId: string;
	doc: Y.Doc;
	/** Highest board_updates.seq applied to `doc`. */
	appliedSeq: number;
	/** Stored bytes not yet applied to `doc` (see materialise), and their state vector. */
	raw: Uint8Array[] | null;
	rawVector: Uint8Array;
	queue: Promise<unknown>;
	/** Updates from screens waiting for the next commit, the batch being written, and the flush under way (if any). */
	pending: Pending[];
	writing: Pending[];
	flushing: Promise<void> | null;
	evictTimer?: ReturnType<typeof setTimeout>;
	compactTimer?: ReturnType<typeof setTimeout>;
}

/** A screen's update, applied and sent to the others, waiting to be written. */
interface Pending {
	who: JwtClaims;
	payload: Uint8Array;
	touched: TouchedCards;
	sender: RealtimeSocket;
}

export interface BoardHubDeps {
	io: RealtimeServer;
	pool: pg.Pool;
	log: (line: string) => void;
	/** How long a document stays in memory after its last screen left. */
	idleMs?: number;
}

function syncMessage(write: (encoder: encoding.Encoder) => void): WireMessage {
	const encoder = encoding.createEncoder();
	write(encoder);
	return toWire(encoding.toUint8Array(encoder));
}

const updateMessage = (update: Uint8Array) => syncMessage((e) => syncProtocol.writeUpdate(e, update));

export type BoardHub = ReturnType<typeof createBoardHub>;

export function createBoardHub({ io, pool, log, idleMs = 60_000 }: BoardHubDeps) {
	const entries = new Map<string, Promise<Entry>>();

	function serial<T>(entry: Entry, fn: () => Promise<T>): Promise<T> {
		const run = entry.queue.then(fn, fn);
		entry.queue = run.catch(() => {});
		return run;
	}

	/**
	 * Loads a document as Postgres holds it (creating it the first time). Whatever changed in
	 * `tasks` while nobody had it open is reconciled shortly after, in the background: the first
	 * screen gets the document at once and the corrections, if any, a moment later.
	 */
	async function load(siteId: string, period: Period): Promise<Entry> {
		const stored = await asService(pool, (sql) => readStored(sql, siteId, period));
		const entry: Entry = {
			key: boardKey({ siteId, period }),
			siteId,
			period,
			documentId: stored.id,
			doc: new Y.Doc({ gc: true }),
			raw: stored.parts,
			rawVector: stored.vector,
			appliedSeq: stored.seq,
			queue: Promise.resolve(),
			pending: [],
			writing: [],
			flushing: null
		};
		if (stored.seq === 0) {
			// A document created just now is built from the tasks table before anyone sees it.
			materialise(entry);
			await reconcileNow(entry, null);
		} else {
			// Later rather than at once: the first screen's bytes go out, and it builds its copy,
			// without this reading and applying the week alongside.
			setTimeout(() => {
				reconcileNow(entry, null).catch((err: Error) => log(`[board] reconciling ${entry.key} failed: ${err.message}`));
			}, RECONCILE_AFTER_LOAD_MS).unref?.();
		}
		return entry;
	}

	/** Applies the stored bytes a document was loaded with, once, before anything reads it. */
	function materialise(entry: Entry): void {
		if (!entry.raw) return;
		const parts = entry.raw;
		entry.raw = null;
		for (const part of parts) Y.applyUpdate(entry.doc, part, FROM_SERVER);
	}

	/** The document of a site's week, loaded if needed; `raw` leaves its stored bytes unapplied (see join). */
	function open(siteId: string, period: Period, { raw = false } = {}): Promise<Entry> {
		const key = boardKey({ siteId, period });
		let entry = entries.get(key);
		if (!entry) {
			entry = load(siteId, period);
			entries.set(key, entry);
			entry.catch(() => entries.delete(key));
		}
		return entry.then((e) => {
			clearTimeout(e.evictTimer);
			if (!raw) materialise(e);
			return e;
		});
	}

	/** Forgets a document no screen of this node has open any more (after `idleMs`). */
	function evictWhenIdle(entry: Entry): void {
		clearTimeout(entry.evictTimer);
		entry.evictTimer = setTimeout(async () => {
			const local = await io.local.in(boardRoom(entry.key)).fetchSockets();
			if (local.length === 0 && !entry.pending.length && !entry.flushing && (await entries.get(entry.key)) === entry) {
				entries.delete(entry.key);
				entry.doc.destroy();
			}
		}, idleMs);
		entry.evictTimer.unref?.();
	}

	/**
	 * Applies what other nodes wrote since this node last looked (their compaction included) and
	 * returns what it changed here: this node's screens heard of it from those nodes through the
	 * adapter, but a resync sends it on in case they could not.
	 */
	async function catchUp(sql: Sql, entry: Entry, lastSeq?: number): Promise<Uint8Array[]> {
		materialise(entry);
		if (lastSeq !== undefined && lastSeq <= entry.appliedSeq) return [];
		const missed = await writtenSince(sql, entry.documentId, entry.appliedSeq);
		if (!missed.length) return [];
		const applied = updatesOf(entry.doc, () => Y.applyUpdate(entry.doc, Y.mergeUpdates(missed.map((u) => u.payload)), FROM_SERVER));
		entry.appliedSeq = missed.at(-1)!.seq;
		return applied;
	}

	/** Rebuilds a document from Postgres after a failed commit left the memory copy ahead of it. */
	async function reload(entry: Entry): Promise<void> {
		const stored = await asService(pool, (sql) => readStored(sql, entry.siteId, entry.period));
		entry.doc.destroy();
		entry.doc = new Y.Doc({ gc: true });
		entry.raw = stored.parts;
		entry.rawVector = stored.vector;
		entry.appliedSeq = stored.seq;
		materialise(entry);
	}

	/**
	 * A server-side change: `change` runs on the document under its row lock, as `who` (null:
	 * the server itself), and its effect is projected, appended, then sent to the board's screens.
	 */
	async function commit(entry: Entry, who: JwtClaims | null, change: (doc: Y.Doc) => void, reason?: string) {
		return serial(entry, async () => {
			let outcome;
			try {
				const run = <T>(fn: (sql: Sql) => Promise<T>) => (who ? withUser(pool, who, fn) : asService(pool, fn));
				outcome = await run(async (sql) => {
					if (reason) await sql.query(`select set_config('relais.reason', $1, true)`, [reason]);
					const head = await lockDocument(sql, entry.documentId);
					if (!head) throw new Refusal('forbidden');
					await catchUp(sql, entry, head.lastSeq);
					let touched: TouchedCards = new Map();
					const changed = updatesOf(entry.doc, () => (touched = trackCards(entry.doc, () => change(entry.doc))));
					const projection = await project(sql, entry.siteId, entry.period, entry.doc, touched, FROM_CORRECTION);
					const updates = projection.correction ? [...changed, projection.correction] : changed;
					if (!updates.length) return null;
					noteOwnWrites(projection.written);
					const seq = await appendUpdates(sql, entry.siteId, { ...head, lastSeq: entry.appliedSeq }, [Y.mergeUpdates(updates)], entry.doc, () =>
						settled(entry)
					);
					return { seq, updates, projection };
				});
			} catch (err) {
				await reload(entry).catch((e: Error) => log(`[board] reloading ${entry.key} failed: ${e.message}`));
				throw err;
			}
			if (!outcome) return;
			entry.appliedSeq = outcome.seq;
			compactWhenQuiet(entry);
			const room = boardRoom(entry.key);
			io.to(room).emit('board_sync', entry.key, updateMessage(Y.mergeUpdates(outcome.updates)));
			for (const [period, ids] of outcome.projection.movedFrom) void dropFrom(entry.siteId, period, ids);
			if ((await io.local.in(room).fetchSockets()).length === 0) evictWhenIdle(entry);
		});
	}

	/** Whether the document holds only what is written (no relayed update waits for its write). */
	function settled(entry: Entry): boolean {
		return entry.pending.length === 0;
	}

	/** Folds the update log into the snapshot once the document has gone quiet (see COMPACT_WHEN_QUIET_MS). */
	function compactWhenQuiet(entry: Entry): void {
		clearTimeout(entry.compactTimer);
		entry.compactTimer = setTimeout(() => {
			compactNow(entry).catch((err: Error) => log(`[board] compacting ${entry.key} failed: ${err.message}`));
		}, COMPACT_WHEN_QUIET_MS);
		entry.compactTimer.unref?.();
	}

	async function compactNow(entry: Entry): Promise<void> {
		clearTimeout(entry.compactTimer);
		await serial(entry, () =>
			asService(pool, async (sql) => {
				const head = await lockDocument(sql, entry.documentId);
				if (!head || head.lastSeq === head.snapshotSeq) return;
				await catchUp(sql, entry, head.lastSeq);
				// Moves keep arriving: the next batch's write schedules this again.
				if (settled(entry)) await compact(sql, entry.documentId, entry.appliedSeq, entry.doc);
			})
		);
	}

	/** Another week's board placed these cards: this week's board lets them go. */
	async function dropFrom(siteId: string, period: Period, ids: string[]): Promise<void> {
		try {
			const entry = await open(siteId, period);
			await commit(entry, null, (doc) => {
				const cards = cardsOf(doc);
				doc.transact(() => ids.forEach((id) => cards.delete(id)), FROM_SERVER);
			});
		} catch (err) {
			log(`[board] dropping moved cards from ${siteId}:${period} failed: ${(err as Error).message}`);
		}
	}

	async function broadcastPresence(key: string): Promise<void> {
		const sockets = await io.in(boardRoom(key)).fetchSockets();
		const present: PresenceEntry[] = sockets.flatMap((s) => {
			const state = s.data.boards?.[key];
			return state ? [{ connectionId: s.id, userId: s.data.claims.sub, name: s.data.name ?? '', canEdit: state.canEdit, holding: state.holding }] : [];
		});
		io.to(boardRoom(key)).emit('board_presence', key, present);
	}

	function presenceLater(key: string): void {
		broadcastPresence(key).catch((err: Error) => log(`[board] presence of ${key} failed: ${err.message}`));
	}

	async function access(claims: JwtClaims, siteId: string): Promise<{ sees: boolean; plans: boolean; name: string }> {
		return withUser(pool, claims, async (sql) => {
			const { rows } = await sql.query<{ sees: boolean; plans: boolean; name: string | null }>(
				`select $1::uuid in (select private.staff_site_ids()) as sees, private.plans_site($1) as plans,
				        (select full_name from public.profiles where id = (select auth.uid())) as name`,
				[siteId]
			);
			return { sees: rows[0].sees, plans: rows[0].plans, name: rows[0].name ?? '' };
		});
	}

	async function join(socket: RealtimeSocket, ref: BoardRef): Promise<JoinedBoard> {
		const key = boardKey(ref);
		const boards = (socket.data.boards ??= {});
		if (!boards[key] && Object.keys(boards).length >= MAX_BOARDS_PER_SOCKET) throw new Refusal('limit_reached');
		// The socket's site rooms are what the database says the person may see (kept current on
		// every access change), so a site outside them is refused at once; who may edit is read
		// while the document loads, and nothing is sent before both are known.
		if (!socket.rooms.has(siteRoom(ref.siteId))) throw new Refusal('forbidden');
		const [{ sees, plans, name }, entry] = await Promise.all([access(socket.data.claims, ref.siteId), open(ref.siteId, ref.period, { raw: true })]);
		if (!sees) throw new Refusal('forbidden');
		boards[key] = { canEdit: plans, holding: null };
		socket.data.name = name;
		socket.join(boardRoom(key));
		if (entry.raw) {
			// The first screen of a document just read from Postgres gets the stored bytes as they
			// are, and the server builds its own copy while they travel.
			// Step 1 goes first, as in the protocol: the screen answers it with what the server lacks
			// before it holds anything (an answer sent later would carry every deletion it knows).
			const vector = entry.rawVector;
			socket.emit('board_sync', key, syncMessage((e) => {
				encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
				encoding.writeVarUint8Array(e, vector);
			}));
			for (const part of entry.raw) socket.emit('board_sync', key, updateMessage(part));
			socket.emit('board_sync', key, syncMessage((e) => syncProtocol.writeSyncStep2(e, new Y.Doc())));
			// The server's own copy is built by whatever reads it first (at the latest, the reconcile after load).
		} else {
			// Joined first, then read: an update committed meanwhile arrives by the room as well (twice is harmless).
			await serial(entry, () => withUser(pool, socket.data.claims, (sql) => catchUp(sql, entry)));
			socket.emit('board_sync', key, syncMessage((e) => syncProtocol.writeSyncStep1(e, entry.doc)));
			socket.emit('board_sync', key, syncMessage((e) => syncProtocol.writeSyncStep2(e, entry.doc)));
		}
		presenceLater(key);
		return { canEdit: plans };
	}

	async function leave(socket: RealtimeSocket, ref: BoardRef): Promise<null> {
		const key = boardKey(ref);
		if (socket.data.boards) delete socket.data.boards[key];
		socket.leave(boardRoom(key));
		presenceLater(key);
		const entry = entries.get(key);
		if (entry) evictWhenIdle(await entry);
		return null;
	}

	async function receive(socket: RealtimeSocket, key: unknown, message: unknown): Promise<void> {
		if (typeof key !== 'string' || !socket.data.boards?.[key]) return;
		const entry = await entries.get(key);
		if (!entry) return;
		const bytes = fromWire(message);
		if (!bytes) {
			socket.emit('board_refused', key, 'invalid_update');
			return;
		}
		let type: number;
		let payload: Uint8Array;
		// Decoded once here to refuse a malformed update before it is applied, and to drop one
		// that changes nothing (what a screen with nothing new answers to step 1).
		let empty = false;
		try {
			const decoder = decoding.createDecoder(bytes);
			type = decoding.readVarUint(decoder);
			payload = decoding.readVarUint8Array(decoder);
			if (type !== syncProtocol.messageYjsSyncStep1) {
				const { structs, ds } = Y.decodeUpdate(payload);
				empty = structs.length === 0 && ds.clients.size === 0;
			}
		} catch {
			socket.emit('board_refused', key, 'invalid_update');
			return;
		}
		if (type === syncProtocol.messageYjsSyncStep1) {
			await serial(entry, async () => {
				await withUser(pool, socket.data.claims, (sql) => catchUp(sql, entry));
				socket.emit('board_sync', key, syncMessage((e) => {
					encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
					encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(entry.doc, payload));
				}));
			});
			return;
		}
		if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) {
			socket.emit('board_refused', key, 'invalid_update');
			return;
		}
		if (empty) return;
		if (!socket.data.boards[key].canEdit) {
			socket.emit('board_refused', key, 'forbidden');
			return;
		}
		// Sent on at once, as it came when it is an update, then applied: the other screens see the
		// move without waiting for this copy or for Postgres. The person may plan here (checked
		// above) and the update decodes; the write follows in the next batch, where the database
		// checks it again and invalid cards are put back.
		io.to(boardRoom(key)).except(socket.id).emit('board_sync', key, type === syncProtocol.messageYjsUpdate ? (message as WireMessage) : updateMessage(payload));
		materialise(entry);
		const touched = trackCards(entry.doc, () => Y.applyUpdate(entry.doc, payload, FROM_CLIENT));
		entry.pending.push({ who: socket.data.claims, payload, touched, sender: socket });
		// The others already have the move: writing a moment later lets a burst share one
		// transaction, which keeps Postgres (and so every screen) responsive under load.
		entry.flushing ??= new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS)).then(() => flush(entry));
	}

	/**
	 * Writes what screens sent, all that waits at once: a burst of moves from twenty leads costs
	 * one transaction, not twenty in a row. Should the batch fail (the database refused someone,
	 * or lost its connection), the document is reloaded from Postgres and every screen on it
	 * starts afresh from there, so nobody keeps a change that was not written.
	 */
	async function flush(entry: Entry): Promise<void> {
		try {
			while (entry.pending.length) {
				const batch = entry.pending.splice(0);
				// Still in flight while it waits its turn behind a reconcile: see reconcileNow.
				entry.writing = batch;
				await serial(entry, () => commitBatch(entry, batch)).catch(async (err: Error) => {
					if (!(err instanceof Refusal) && (err as { code?: string }).code !== '42501') log(`[board] writing ${entry.key} failed: ${err.message}`);
					entry.pending.length = 0;
					await serial(entry, () => reload(entry)).catch((e: Error) => log(`[board] reloading ${entry.key} failed: ${e.message}`));
					io.to(boardRoom(entry.key)).emit('board_refused', entry.key, 'unavailable');
				});
			}
		} finally {
			entry.writing = [];
			entry.flushing = null;
		}
	}

	async function commitBatch(entry: Entry, batch: Pending[]): Promise<void> {
		const outcome = await withUser(pool, batch[0].who, async (sql) => {
			const head = await lockDocument(sql, entry.documentId);
			if (!head) throw new Refusal('forbidden');
			await catchUp(sql, entry, head.lastSeq);
			let seq = entry.appliedSeq;
			let bytes = 0;
			let claimsOf = batch[0].who.sub;
			const results = [];
			// The rows of every card the batch touched, read once: everyone in a batch plans at
			// this site, so they read the same rows (each write below is still checked as its sender).
			const touchedIds = [...new Set(batch.flatMap((item) => [...item.touched.keys()]))];
			const cache = { rows: touchedIds.length ? await tasksById(sql, entry.siteId, touchedIds) : new Map() };
			for (const item of batch) {
				// Each update is written and projected as the person who sent it.
				if (item.who.sub !== claimsOf) {
					await sql.query(`select set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true)`, [
						JSON.stringify(item.who),
						item.who.sub
					]);
					claimsOf = item.who.sub;
				}
				const projection = await project(sql, entry.siteId, entry.period, entry.doc, item.touched, FROM_CORRECTION, cache);
				const { correction } = projection;
				const payload = correction ? Y.mergeUpdates([item.payload, correction]) : item.payload;
				await insertUpdate(sql, head, entry.siteId, ++seq, payload);
				bytes += payload.byteLength;
				// Noted before the commit: the change feed may hear of it before this call returns.
				noteOwnWrites(projection.written);
				results.push(projection);
			}
			await closeAppend(sql, { ...head, lastSeq: entry.appliedSeq }, seq, bytes, entry.doc, () => settled(entry));
			return { seq, results };
		});
		entry.appliedSeq = outcome.seq;
		compactWhenQuiet(entry);
		for (const projection of outcome.results) {
			if (projection.correction) io.to(boardRoom(entry.key)).emit('board_sync', entry.key, updateMessage(projection.correction));
			for (const [period, ids] of projection.movedFrom) void dropFrom(entry.siteId, period, ids);
		}
	}

	async function hold(socket: RealtimeSocket, request: { siteId: string; period: string; taskId: string | null }): Promise<null> {
		const key = boardKey(request);
		const state = socket.data.boards?.[key];
		if (!state || (request.taskId && !state.canEdit)) throw new Refusal('forbidden');
		state.holding = request.taskId;
		presenceLater(key);
		return null;
	}

	/** End of day: the day's unfinished cards move on together, with the reason in the audit trail. */
	async function closeDay(socket: RealtimeSocket, request: { siteId: string; day: string; mode: 'postpone' | 'backlog'; reason: string }) {
		const { claims } = socket.data;
		const tasks = await withUser(pool, claims, async (sql) => {
			const { rows } = await sql.query<{ plans: boolean }>('select private.plans_site($1) as plans', [request.siteId]);
			if (!rows[0].plans) throw new Refusal('forbidden');
			const planned = await sql.query<{ id: string; service_id: string; estimated_minutes: number; team_id: string | null; assignee_id: string | null; status: TaskStatus; deadline: string }>(
				`select t.id, t.service_id, t.estimated_minutes, t.team_id, t.assignee_id, t.status, to_char(o.deadline, 'YYYY-MM-DD') as deadline
				   from public.tasks t join public.orders o on o.id = t.order_id
				  where t.site_id = $1 and t.planned_on = $2 order by t.board_rank, t.id`,
				[request.siteId, request.day]
			);
			return planned.rows;
		});
		const planning: PlanningTask[] = tasks.map((t) => ({
			id: t.id,
			serviceId: t.service_id,
			estimatedMinutes: t.estimated_minutes,
			deadline: t.deadline,
			teamId: t.team_id,
			plannedOn: request.day,
			status: t.status
		}));
		const changes = rollOver({ tasks: planning, day: request.day, mode: request.mode });
		if (!changes.length) return { moved: 0 };
		const assignees = new Map(tasks.map((t) => [t.id, t.assignee_id]));
		const next = changes[0].to.plannedOn;
		const entry = await open(request.siteId, periodOf(next ?? request.day));
		await commit(
			entry,
			claims,
			(doc) => {
				const cards = cardsOf(doc);
				doc.transact(() => {
					if (next === null) return changes.forEach((c) => cards.delete(c.taskId));
					// Postponed cards go after what is already planned on their new day, in their order.
					const last = [...cards.values()].filter((p) => p.day === next).reduce<string | null>((max, p) => (max === null || p.rank > max ? p.rank : max), null);
					const ranks = ranksAfter(last, changes.length);
					changes.forEach((c, i) =>
						cards.set(c.taskId, { teamId: c.to.teamId, assigneeId: assignees.get(c.taskId) ?? null, day: next, start: null, rank: ranks[i] })
					);
				}, FROM_SERVER);
			},
			request.reason
		);
		return { moved: changes.length };
	}

	const resyncTimers = new Map<string, ReturnType<typeof setTimeout>>();
	/**
	 * Row updates this node just made through a board, per task: each one's echo in the change
	 * feed is expected once and skipped, so the board's own moves never trigger a resync while a
	 * write from elsewhere, even right after, still does.
	 */
	const ownWrites = new Map<string, { count: number; until: number }>();
	const OWN_WRITE_MS = 30_000;

	function noteOwnWrites(ids: readonly string[]): void {
		const until = Date.now() + OWN_WRITE_MS;
		for (const id of ids) ownWrites.set(id, { count: (ownWrites.get(id)?.count ?? 0) + 1, until });
		if (ownWrites.size > 10_000) for (const [id, w] of ownWrites) if (w.until < Date.now()) ownWrites.delete(id);
	}

	function isOwnEcho(rowId: string | null, now: number): boolean {
		const own = rowId ? ownWrites.get(rowId) : undefined;
		if (!own || own.until < now) return false;
		if (--own.count === 0) ownWrites.delete(rowId!);
		return true;
	}

	/** Task ids changed outside the board, per open document, waiting for their resync. */
	const dirty = new Map<string, Set<string>>();

	/**
	 * Plans written outside the board (an import, an order cancelled, SQL by hand) reach the
	 * open boards: the cards of the tasks that changed are brought back in line with the tasks
	 * table and every screen gets the correction. Only those cards: a move still being written
	 * is never undone, and waits for its own write instead.
	 */
	async function resync(entry: Entry): Promise<void> {
		if (entry.pending.length || entry.flushing) return resyncLater(entry.key, []);
		const ids = [...(dirty.get(entry.key) ?? [])];
		dirty.delete(entry.key);
		if (ids.length) await reconcileNow(entry, ids);
	}

	/** Brings the cards of `ids` (every card of the week with null) in line with `tasks`, except those still being written. */
	async function reconcileNow(entry: Entry, ids: string[] | null): Promise<void> {
		const outcome = await serial(entry, () =>
			asService(pool, async (sql) => {
				const head = await lockDocument(sql, entry.documentId);
				if (!head) return null;
				const caught = await catchUp(sql, entry, head.lastSeq);
				const days = daysOf(entry.period);
				let rows = ids
					? [...(await tasksById(sql, entry.siteId, ids)).values()].filter((r) => r.planned_on !== null && days.includes(r.planned_on))
					: await tasksPlannedIn(sql, entry.siteId, entry.period);
				// A card relayed but not yet written keeps its move: its own write projects it.
				const inFlight = new Set([...entry.pending, ...entry.writing].flatMap((p) => [...p.touched.keys()]));
				let scope = ids ?? undefined;
				if (inFlight.size) {
					scope = (scope ?? [...new Set([...cardsOf(entry.doc).keys(), ...rows.map((r) => r.id)])]).filter((id) => !inFlight.has(id));
					rows = rows.filter((r) => !inFlight.has(r.id));
				}
				const updates = updatesOf(entry.doc, () => reconcile(entry.doc, rows, FROM_SERVER, scope));
				if (!updates.length) return caught.length ? Y.mergeUpdates(caught) : null;
				const merged = Y.mergeUpdates(updates);
				entry.appliedSeq = await appendUpdates(sql, entry.siteId, { ...head, lastSeq: entry.appliedSeq }, [merged], entry.doc, () => settled(entry));
				compactWhenQuiet(entry);
				return Y.mergeUpdates([...caught, merged]);
			})
		);
		if (outcome) io.to(boardRoom(entry.key)).emit('board_sync', entry.key, updateMessage(outcome));
	}

	/** Marks `ids` for the next resync of board `key` (a burst of changes resyncs once). */
	function resyncLater(key: string, ids: readonly string[]): void {
		const set = dirty.get(key) ?? new Set<string>();
		ids.forEach((id) => set.add(id));
		dirty.set(key, set);
		if (resyncTimers.has(key)) return;
		const timer = setTimeout(() => {
			resyncTimers.delete(key);
			const entry = entries.get(key);
			if (!entry) return void dirty.delete(key);
			entry.then(resync).catch((err: Error) => log(`[board] resync of ${key} failed: ${err.message}`));
		}, 150);
		timer.unref?.();
		resyncTimers.set(key, timer);
	}

	/** Called with every batch of captured changes: task changes at a site resync its open boards. */
	function tasksChanged(changes: readonly { table: string; siteIds: string[]; rowId: string | null }[]): void {
		const now = Date.now();
		const foreign = changes.filter((c) => c.table === 'tasks' && c.rowId && !isOwnEcho(c.rowId, now));
		if (!foreign.length) return;
		for (const key of entries.keys()) {
			const siteId = key.split(':')[0];
			const ids = foreign.filter((c) => c.siteIds.includes(siteId)).map((c) => c.rowId!);
			if (ids.length) resyncLater(key, ids);
		}
	}

	/** After a person's access changed: leave boards of sites they lost, re-read who may edit. */
	async function refreshAccess(socket: RealtimeSocket): Promise<void> {
		for (const key of Object.keys(socket.data.boards ?? {})) {
			const siteId = key.split(':')[0];
			const { sees, plans } = await access(socket.data.claims, siteId);
			const state = socket.data.boards?.[key];
			if (!state) continue;
			if (!sees) {
				delete socket.data.boards![key];
				socket.leave(boardRoom(key));
				socket.emit('board_refused', key, 'forbidden');
			} else {
				state.canEdit = plans;
			}
			presenceLater(key);
		}
	}

	/** Registers the board messages on a new socket. */
	function attach(socket: RealtimeSocket): void {
		socket.on('board_join', validated(boardRef, (ref) => join(socket, ref), log));
		socket.on('board_leave', validated(boardRef, (ref) => leave(socket, ref), log));
		socket.on('board_hold', validated(holdRequest, (request) => hold(socket, request), log));
		socket.on('board_roll_over', validated(rollOverRequest, (request) => closeDay(socket, request), log));
		socket.on('board_sync', (key, message) => void receive(socket, key, message));
		socket.on('disconnect', () => {
			for (const key of Object.keys(socket.data.boards ?? {})) {
				presenceLater(key);
				void entries.get(key)?.then(evictWhenIdle);
			}
		});
	}

	return {
		attach,
		refreshAccess,
		tasksChanged,
		/** Writes what screens sent and compacts every open document: for a graceful shutdown. */
		async close(): Promise<void> {
			for (const loading of entries.values()) {
				const entry = await loading.catch(() => null);
				if (!entry) continue;
				clearTimeout(entry.evictTimer);
				while (entry.flushing) await entry.flushing;
				await compactNow(entry).catch((err: Error) => log(`[board] compacting ${entry.key} failed: ${err.message}`));
			}
		},
		/** The document as this node holds it (tests and the benchmark compare it with the table). */
		async snapshot(siteId: string, period: Period): Promise<Y.Doc> {
			const entry = await open(siteId, period);
			await serial(entry, async () => {});
			return entry.doc;
		}
	};
}
