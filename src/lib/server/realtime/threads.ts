import type pg from 'pg';
import { asService, withUser } from '../db/pool';
import { threadRequest } from '../../realtime/events';
import type { CapturedChange } from './changes';
import type { AccessEpochs } from './epochs';
import { Refusal, validated } from './handler';
import { threadRoom, threadsOf } from './rooms';
import type { RealtimeSocket } from './types';

// A screen follows the thread it shows, a few at most; the cap bounds rooms per socket.
const MAX_THREADS = 20;

/**
 * Thread rooms let a ticket screen follow one conversation. Joining is authorised by reading
 * the thread as the person; leaving needs no check.
 */
export function threadHandlers(socket: RealtimeSocket, pool: pg.Pool, epochs: AccessEpochs, log: (line: string) => void) {
	const join = validated(
		threadRequest,
		async ({ threadId }) => {
			const room = threadRoom(threadId);
			if (!socket.rooms.has(room) && threadsOf(socket.rooms).length >= MAX_THREADS) throw new Refusal('limit_reached');
			const { claims } = socket.data;
			const visible = await epochs.stable(claims.sub, () =>
				withUser(pool, claims, async (sql) => (await sql.query('select 1 from public.ticket_threads where id = $1', [threadId])).rowCount)
			);
			if (!visible) throw new Refusal('forbidden');
			socket.join(room);
			return null;
		},
		log
	);
	const leave = validated(
		threadRequest,
		async ({ threadId }) => {
			socket.leave(threadRoom(threadId));
			return null;
		},
		log
	);
	return { join, leave };
}

/**
 * The thread of each ticket change that everyone able to read the thread may also read: the
 * thread itself, and its public messages written at the thread's site for the thread's client
 * account (policies do not tie a message's account to its thread's, so that is checked here).
 */
export async function threadsOfChanges(pool: pg.Pool, changes: CapturedChange[]): Promise<Map<number, string>> {
	const threads = new Map<number, string>();
	const messages = new Map<string, number[]>();
	for (const c of changes) {
		if (!c.rowId || c.internal) continue;
		if (c.table === 'ticket_threads') threads.set(c.id, c.rowId);
		if (c.table === 'ticket_messages') messages.set(c.rowId, [...(messages.get(c.rowId) ?? []), c.id]);
	}
	if (!messages.size) return threads;
	const rows = await asService(pool, async (sql) => {
		const { rows } = await sql.query<{ id: string; thread_id: string }>(
			`select m.id, m.thread_id
			   from public.ticket_messages m
			   join public.ticket_threads t on t.id = m.thread_id
			  where m.id = any($1::uuid[]) and not m.internal
			    and t.site_id = m.site_id and t.client_account_id is not distinct from m.client_account_id`,
			[[...messages.keys()]]
		);
		return rows;
	});
	for (const row of rows) for (const changeId of messages.get(row.id) ?? []) threads.set(changeId, row.thread_id);
	return threads;
}
