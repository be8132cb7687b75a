// Relative imports only: bundled with the realtime server outside SvelteKit.
import * as Y from 'yjs';
import { cardsOf, daysOf, ranksAfter, byRank, type Period, type Placement } from '../../board/model';
import type { Sql } from '../db/pool';

/**
 * Where a board document lives in Postgres: a snapshot plus the updates after it, in order.
 * Every write happens under the document row's lock, so several app nodes append one after
 * the other and each sees what the others wrote before it adds its own.
 */

/**
 * When the update log is folded into the snapshot: once it weighs half the snapshot (so a busy
 * board rewrites its week at most once per half a week's worth of moves, and a cold load reads
 * at most one and a half times the state), never for less than LOG_BYTES_FLOOR, and at the
 * latest after MAX_LOG_UPDATES updates (what a load replays).
 */
const LOG_BYTES_FLOOR = 16 * 1024;
const MAX_LOG_UPDATES = 2_000;

export interface DocumentHead {
	id: string;
	lastSeq: number;
	snapshotSeq: number;
	snapshotBytes: number;
	/** Bytes of the updates after the snapshot. */
	logBytes: number;
}

export async function lockDocument(sql: Sql, documentId: string): Promise<DocumentHead | null> {
	const { rows } = await sql.query<{ id: string; last_seq: number; snapshot_seq: number; snapshot_bytes: number; log_bytes: number }>(
		// Board commits skip waiting for the disk flush: a crash of Postgres could lose the last
		// fraction of a second of moves, which the screens still hold and send again on reconnect.
		`select set_config('synchronous_commit', 'off', true), id, last_seq, snapshot_seq, octet_length(snapshot) as snapshot_bytes, log_bytes
		   from public.board_documents where id = $1 for update`,
		[documentId]
	);
	const r = rows[0];
	return r ? { id: r.id, lastSeq: r.last_seq, snapshotSeq: r.snapshot_seq, snapshotBytes: r.snapshot_bytes, logBytes: r.log_bytes } : null;
}

/** Whether a log of `updates` updates weighing `bytes` is due to be folded into the snapshot. */
function compactionDue(head: DocumentHead, updates: number, bytes: number): boolean {
	return updates >= MAX_LOG_UPDATES || bytes * 2 >= Math.max(head.snapshotBytes, LOG_BYTES_FLOOR * 2);
}

/**
 * The document of a site's week as stored, created if missing: its snapshot and the updates
 * after it merged into one, as bytes (applying them is the caller's). One statement reads both, so
 * they come from one MVCC snapshot: consistent without locking the row (a lock would wait for
 * any batch being written and make this read-only transaction flush the WAL on commit).
 */
export interface StoredDocument {
	id: string;
	seq: number;
	/** The snapshot (when not empty) and the updates after it, merged. */
	parts: Uint8Array[];
	/** The state vector of all of `parts`, from the stored snapshot vector when there is one. */
	vector: Uint8Array;
}

export async function readStored(sql: Sql, siteId: string, period: Period): Promise<StoredDocument> {
	// The snapshot as row 0, then the updates (seq > 0); rows rather than a bytea array, which
	// the driver parses character by character.
	const select = () =>
		sql.query<{ id: string; last_seq: number; seq: number; payload: Buffer; vector: Buffer | null }>(
			`select d.id, d.last_seq, 0::bigint as seq, d.snapshot as payload, d.snapshot_vector as vector
			   from public.board_documents d where d.site_id = $1 and d.period = $2
			 union all
			 select d.id, d.last_seq, u.seq, u.payload, null
			   from public.board_documents d join public.board_updates u on u.document_id = d.id
			  where d.site_id = $1 and d.period = $2
			 order by seq`,
			[siteId, period]
		);
	let { rows } = await select();
	if (!rows[0]) {
		await ensureDocument(sql, siteId, period);
		({ rows } = await select());
	}
	const [head, ...updates] = rows;
	const snapshot = head.payload.length ? head.payload : null;
	const clocks = new Map<number, number>();
	const add = (vector: Uint8Array) => {
		for (const [client, clock] of Y.decodeStateVector(vector)) clocks.set(client, Math.max(clock, clocks.get(client) ?? 0));
	};
	if (snapshot) add(head.vector ?? Y.encodeStateVectorFromUpdate(snapshot));
	// Merged once here rather than applied (or sent to a screen) one by one.
	const log = updates.length ? Y.mergeUpdates(updates.map((u) => u.payload)) : null;
	if (log) add(Y.encodeStateVectorFromUpdate(log));
	return {
		id: head.id,
		seq: Math.max(head.last_seq, rows.at(-1)!.seq),
		parts: [...(snapshot ? [snapshot] : []), ...(log ? [log] : [])],
		vector: Y.encodeStateVector(clocks)
	};
}

/**
 * What was written after `seq`, in order: the updates, preceded by the snapshot when another
 * node folded updates after `seq` into it (they are no longer in the log).
 */
export async function writtenSince(sql: Sql, documentId: string, seq: number): Promise<{ seq: number; payload: Uint8Array }[]> {
	const { rows } = await sql.query<{ seq: number; payload: Buffer }>(
		`select snapshot_seq as seq, snapshot as payload from public.board_documents where id = $1 and snapshot_seq > $2
		 union all
		 select seq, payload from public.board_updates where document_id = $1 and seq > $2
		 order by seq`,
		[documentId, seq]
	);
	return rows;
}

export async function insertUpdate(sql: Sql, head: DocumentHead, siteId: string, seq: number, payload: Uint8Array): Promise<void> {
	await sql.query('insert into public.board_updates (document_id, seq, site_id, payload) values ($1, $2, $3, $4)', [
		head.id,
		seq,
		siteId,
		Buffer.from(payload)
	]);
}

/**
 * Records `seq` as the last update, the log having grown by `bytes`, folding everything into
 * the snapshot when due. `settled` says whether `doc` holds only what is written: updates
 * relayed but not yet written (see the hub) must not reach the snapshot before their own
 * checked write.
 */
export async function closeAppend(sql: Sql, head: DocumentHead, seq: number, bytes: number, doc: Y.Doc, settled: () => boolean): Promise<void> {
	if (compactionDue(head, seq - head.snapshotSeq, head.logBytes + bytes) && settled()) await compact(sql, head.id, seq, doc);
	else await sql.query('update public.board_documents set last_seq = $2, log_bytes = log_bytes + $3, updated_at = now() where id = $1', [head.id, seq, bytes]);
}

/** Folds the updates up to `seq` into the snapshot: `doc` must hold exactly what they hold. */
export async function compact(sql: Sql, documentId: string, seq: number, doc: Y.Doc): Promise<void> {
	await sql.query(
		'update public.board_documents set snapshot = $2, snapshot_vector = $3, snapshot_seq = $4, last_seq = $4, log_bytes = 0, updated_at = now() where id = $1',
		[documentId, Buffer.from(Y.encodeStateAsUpdate(doc)), Buffer.from(Y.encodeStateVector(doc)), seq]
	);
	await sql.query('delete from public.board_updates where document_id = $1 and seq <= $2', [documentId, seq]);
}

/** Appends updates after `head.lastSeq`, then folds everything into the snapshot when due. */
export async function appendUpdates(sql: Sql, siteId: string, head: DocumentHead, payloads: Uint8Array[], doc: Y.Doc, settled: () => boolean): Promise<number> {
	let seq = head.lastSeq;
	for (const payload of payloads) await insertUpdate(sql, head, siteId, ++seq, payload);
	await closeAppend(sql, head, seq, byteSum(payloads), doc, settled);
	return seq;
}

const byteSum = (payloads: readonly Uint8Array[]) => payloads.reduce((n, p) => n + p.byteLength, 0);

export interface TaskRow {
	id: string;
	team_id: string | null;
	assignee_id: string | null;
	planned_on: string | null;
	planned_start_minutes: number | null;
	board_rank: string | null;
	status: string;
}

/** The placement the tasks table records for a task planned in `period`. */
export function placementOfRow(row: TaskRow, rank: string): Placement | null {
	if (!row.planned_on) return null;
	return { teamId: row.team_id, assigneeId: row.assignee_id, day: row.planned_on, start: row.planned_start_minutes, rank };
}

const TASK_COLUMNS = `id, team_id, assignee_id, to_char(planned_on, 'YYYY-MM-DD') as planned_on, planned_start_minutes, board_rank, status`;

export async function tasksPlannedIn(sql: Sql, siteId: string, period: Period): Promise<TaskRow[]> {
	const days = daysOf(period);
	const { rows } = await sql.query<TaskRow>(
		`select ${TASK_COLUMNS} from public.tasks where site_id = $1 and planned_on between $2 and $3 order by planned_on, board_rank, id`,
		[siteId, days[0], days[6]]
	);
	return rows;
}

export async function tasksById(sql: Sql, siteId: string, ids: string[]): Promise<Map<string, TaskRow>> {
	const { rows } = await sql.query<TaskRow>(`select ${TASK_COLUMNS} from public.tasks where site_id = $1 and id = any ($2::uuid[])`, [siteId, ids]);
	return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Makes the document say what the tasks table says (for the cards `only` names, when given;
 * `rows` are then those of them planned this week). Plans written outside the board (the demo
 * seed, an import, SQL by hand) would otherwise never show on it; what the board writes is
 * projected in the same transaction, so for the board's own moves this changes nothing.
 * Returns whether anything changed.
 */
export function reconcile(doc: Y.Doc, rows: TaskRow[], origin: unknown, only?: readonly string[]): boolean {
	const cards = cardsOf(doc);
	const scope = only ? new Set(only) : null;
	const planned = new Map(rows.map((r) => [r.id, r]));
	// Rows without a rank get ranks after the last one of their day, in the table's order.
	const unranked = rows.filter((r) => !r.board_rank && !cards.has(r.id));
	const ranks = ranksAfter(
		[...cards.values()].map((p) => ({ id: '', rank: p.rank })).sort(byRank).at(-1)?.rank ?? null,
		unranked.length
	);
	const rankOf = new Map(unranked.map((r, i) => [r.id, ranks[i]]));
	let changed = false;
	doc.transact(() => {
		for (const id of scope ?? [...cards.keys()]) {
			if (cards.has(id) && !planned.has(id)) {
				cards.delete(id);
				changed = true;
			}
		}
		for (const row of rows) {
			const current = cards.get(row.id);
			const wanted = placementOfRow(row, row.board_rank ?? current?.rank ?? rankOf.get(row.id)!);
			if (!wanted) continue;
			if (!current || !samePlacement(current, wanted)) {
				cards.set(row.id, wanted);
				changed = true;
			}
		}
	}, origin);
	return changed;
}

export function samePlacement(a: Placement, b: Placement): boolean {
	return a.teamId === b.teamId && a.assigneeId === b.assigneeId && a.day === b.day && a.start === b.start && a.rank === b.rank;
}

/** Creates the document of a site's week if missing (another node may be creating it too). */
async function ensureDocument(sql: Sql, siteId: string, period: Period): Promise<void> {
	await sql.query(
		`insert into public.board_documents (site_id, period, snapshot) values ($1, $2, '\\x'::bytea) on conflict (site_id, period) do nothing`,
		[siteId, period]
	);
}
