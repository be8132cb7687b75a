import pg from 'pg';
import type { Change, ChangeOp } from '../../realtime/events';

/** One row of public.change_log: what changed and who it is routed to. */
export interface CapturedChange {
	id: number;
	table: string;
	op: ChangeOp;
	rowId: string | null;
	siteIds: string[];
	clientAccountId: string | null;
	userId: string | null;
	internal: boolean;
	committedAt: Date;
}

/**
 * The one source of changes for fan-out. Today it is LISTEN/NOTIFY on the change log; logical
 * replication could replace it behind the same two methods without touching the fan-out.
 */
export interface ChangeFeed {
	/** Delivers every change committed from now on, in id order, one call at a time. */
	start(onChanges: (changes: CapturedChange[]) => Promise<void>): Promise<void>;
	stop(): Promise<void>;
	/** Highest change id delivered so far (or already in the log at start). */
	readonly lastId: number;
}

const CHANNEL = 'relais_changes';
const MAX_BACKOFF_MS = 10_000;
// Ids already delivered, remembered so the backfill after a reconnect and the notifications
// that arrive meanwhile cannot deliver the same change twice.
const SEEN_LIMIT = 10_000;
const PAGE = 1_000;

interface LogRow {
	id: number;
	table_name: string;
	op: ChangeOp;
	row_id: string | null;
	site_ids: string[];
	client_account_id: string | null;
	user_id: string | null;
	internal: boolean;
	committed_at: Date;
}

/**
 * LISTENs on a dedicated connection (a pooled one would be handed to other queries), gathers
 * the ids notified in the same tick and reads their rows with one query. Reads are serialised,
 * so a burst turns into bigger batches rather than concurrent queries that finish out of order.
 *
 * The rows are read on that same connection, switched once to `service_role` for the session
 * (what `asService` does per transaction): one round trip per batch, and fan-out never waits
 * behind page requests for a pooled connection.
 */
export function createPgChangeFeed(connection: pg.ClientConfig, log: (line: string) => void): ChangeFeed {
	let listener: pg.Client | undefined;
	let listenedBefore = false;
	let onChanges: (changes: CapturedChange[]) => Promise<void> = async () => {};
	let lastId = 0;
	let stopped = false;
	let backoff = 250;
	let reconnectTimer: NodeJS.Timeout | undefined;
	const pending = new Set<number>();
	const seen = new Set<number>();
	let draining: Promise<void> | undefined;

	// setImmediate lets every notification of the same socket read join one batch.
	const scheduleDrain = (delayMs = 0) => {
		draining ??= new Promise<void>((resolve) => (delayMs ? setTimeout(resolve, delayMs) : setImmediate(resolve))).then(drain);
	};
	const enqueue = (id: number) => {
		if (seen.has(id) || stopped) return;
		pending.add(id);
		scheduleDrain();
	};

	async function drain(): Promise<void> {
		while (pending.size && !stopped) {
			const ids = [...pending];
			pending.clear();
			let rows: LogRow[];
			try {
				if (!listener) throw new Error('not connected');
				({ rows } = await listener.query<LogRow>(
					`select id, table_name, op, row_id, site_ids, client_account_id, user_id, internal, committed_at
					   from public.change_log where id = any($1::bigint[]) order by id`,
					[ids]
				));
			} catch (err) {
				// Keep the ids: they are delivered once the database answers again.
				log(`[realtime] reading the change log failed: ${(err as Error).message}`);
				for (const id of ids) pending.add(id);
				draining = undefined;
				return scheduleDrain(1_000);
			}
			for (const id of ids) remember(id);
			if (!rows.length) continue;
			lastId = Math.max(lastId, rows[rows.length - 1].id);
			try {
				await onChanges(rows.map(toChange));
			} catch (err) {
				log(`[realtime] fan-out failed: ${(err as Error).message}`);
			}
		}
		draining = undefined;
	}

	function remember(id: number) {
		seen.add(id);
		if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
	}

	async function connect(): Promise<void> {
		const client = new pg.Client(connection);
		client.on('notification', (msg) => {
			const id = Number(msg.payload);
			if (Number.isSafeInteger(id)) enqueue(id);
		});
		client.on('error', (err) => log(`[realtime] change listener: ${err.message}`));
		client.on('end', () => {
			if (listener === client) listener = undefined;
			if (!stopped) scheduleReconnect();
		});
		const resumed = listenedBefore;
		try {
			await client.connect();
			await client.query('set role service_role');
			// Readable by drain() from now on: a notification may arrive as soon as LISTEN runs.
			listener = client;
			await client.query(`listen ${CHANNEL}`);
			if (!resumed) {
				// First connection: changes start here; earlier ones are in what pages loaded.
				const { rows } = await client.query<{ id: number }>('select coalesce(max(id), 0)::bigint as id from public.change_log');
				lastId = Math.max(lastId, rows[0].id);
			}
		} catch (err) {
			log(`[realtime] cannot listen for changes: ${(err as Error).message}`);
			if (listener === client) listener = undefined;
			client.removeAllListeners('end');
			await client.end().catch(() => {});
			if (!stopped) scheduleReconnect();
			return;
		}
		if (stopped) {
			listener = undefined;
			await client.end();
			return;
		}
		listenedBefore = true;
		backoff = 250;
		if (resumed) await backfill(client);
	}

	function scheduleReconnect() {
		clearTimeout(reconnectTimer);
		reconnectTimer = setTimeout(connect, backoff);
		backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
	}

	/**
	 * Whatever was committed while nobody listened (before a reconnect) is read from the log. If
	 * that fails, the connection is dropped so that the next reconnect tries again.
	 */
	async function backfill(client: pg.Client): Promise<void> {
		let after = lastId;
		try {
			for (;;) {
				const { rows } = await client.query<{ id: number }>('select id from public.change_log where id > $1 order by id limit $2', [
					after,
					PAGE
				]);
				const ids = rows.map((r) => r.id);
				ids.forEach(enqueue);
				if (ids.length < PAGE) return;
				after = ids[ids.length - 1];
			}
		} catch (err) {
			log(`[realtime] backfill failed: ${(err as Error).message}`);
			await client.end().catch(() => {});
		}
	}

	return {
		get lastId() {
			return lastId;
		},
		async start(callback) {
			onChanges = callback;
			await connect();
		},
		async stop() {
			stopped = true;
			clearTimeout(reconnectTimer);
			const client = listener;
			listener = undefined;
			await client?.end().catch(() => {});
			await draining;
		}
	};
}

/** What a socket is told: metadata only, never the row. */
export function wireChange(c: Pick<CapturedChange, 'id' | 'table' | 'op' | 'rowId' | 'committedAt'>): Change {
	return { id: c.id, table: c.table, op: c.op, rowId: c.rowId, at: c.committedAt.toISOString() };
}

function toChange(row: LogRow): CapturedChange {
	return {
		id: row.id,
		table: row.table_name,
		op: row.op,
		rowId: row.row_id,
		siteIds: row.site_ids,
		clientAccountId: row.client_account_id,
		userId: row.user_id,
		internal: row.internal,
		committedAt: row.committed_at
	};
}
