import type pg from 'pg';
import { asService, withUser } from '../db/pool';
import { threadRequest, threadTypingRequest } from '../../realtime/events';
import type { CapturedChange } from './changes';
import type { AccessEpochs } from './epochs';
import { Refusal, validated } from './handler';
import { siteRoom, threadRoom, threadsOf } from './rooms';
import type { RealtimeSocket } from './types';

// A screen follows the thread it shows, a few at most; the cap bounds rooms per socket.
const MAX_THREADS = 20;

/**
 * Thread rooms let a ticket screen follow one conversation. Joining is authorised by reading
 * the thread as the person; leaving needs no check. Typing is relayed to the room's other
 * sockets; typing an internal note only to those in the thread's site room, i.e. its staff.
 */
export function threadHandlers(socket: RealtimeSocket, pool: pg.Pool, epochs: AccessEpochs, log: (line: string) => void) {
	// The site of each thread this socket joined, read when joining under the person's RLS.
	const sites = new Map<string, string>();
	const join = validated(
		threadRequest,
		async ({ threadId }) => {
			const room = threadRoom(threadId);
			if (!socket.rooms.has(room) && threadsOf(socket.rooms).length >= MAX_THREADS) throw new Refusal('limit_reached');
			const { claims } = socket.data;
			const siteId = await epochs.stable(claims.sub, () =>
				withUser(
					pool,
					claims,
					async (sql) => (await sql.query<{ site_id: string }>('select site_id from public.ticket_threads where id = $1', [threadId])).rows[0]?.site_id
				)
			);
			if (!siteId) throw new Refusal('forbidden');
			sites.set(threadId, siteId);
			socket.join(room);
			return null;
		},
		log
	);
	const typing = validated(
		threadTypingRequest,
		async ({ threadId, internal }) => {
			const room = threadRoom(threadId);
			const siteId = sites.get(threadId);
			// Rooms are dropped on revocation (fanout.ts), so membership is the live authorisation.
			if (!siteId || !socket.rooms.has(room)) throw new Refusal('forbidden');
			const byStaff = socket.rooms.has(siteRoom(siteId));
			if (internal && !byStaff) throw new Refusal('forbidden');
			const event = { threadId, userId: socket.data.claims.sub, byStaff, internal };
			if (!internal) {
				socket.to(room).emit('thread_typing', event);
				return null;
			}
			for (const other of await socket.nsp.in(room).fetchSockets()) {
				if (other.id !== socket.id && other.rooms.has(siteRoom(siteId))) other.emit('thread_typing', event);
			}
			return null;
		},
		log
	);
	const leave = validated(
		threadRequest,
		async ({ threadId }) => {
			socket.leave(threadRoom(threadId));
			sites.delete(threadId);
			return null;
		},
		log
	);
	return { join, leave, typing };
}

// Rows that belong to one thread: routed to its room when everyone there may read them.
const PART_OF_THREAD: Record<string, true> = { ticket_messages: true, ticket_attachments: true, thread_reads: true };

/**
 * The thread of each ticket change that everyone able to read the thread may also read: the
 * thread itself, its public messages and attachments, and its read receipts, written at the
 * thread's site for the thread's client account (policies do not tie a row's account to its
 * thread's, so that is checked here).
 */
export async function threadsOfChanges(pool: pg.Pool, changes: CapturedChange[]): Promise<Map<number, string>> {
	const threads = new Map<number, string>();
	const parts = new Map<string, number[]>();
	for (const c of changes) {
		if (!c.rowId || c.internal) continue;
		if (c.table === 'ticket_threads') threads.set(c.id, c.rowId);
		if (c.table in PART_OF_THREAD) parts.set(c.rowId, [...(parts.get(c.rowId) ?? []), c.id]);
	}
	if (!parts.size) return threads;
	const rows = await asService(pool, async (sql) => {
		const { rows } = await sql.query<{ id: string; thread_id: string }>(
			`select m.id, m.thread_id
			   from public.ticket_messages m
			   join public.ticket_threads t on t.id = m.thread_id
			  where m.id = any($1::uuid[]) and not m.internal
			    and t.site_id = m.site_id and t.client_account_id is not distinct from m.client_account_id
			 union all
			 select a.id, a.thread_id
			   from public.ticket_attachments a
			   join public.ticket_threads t on t.id = a.thread_id
			  where a.id = any($1::uuid[]) and not a.internal
			    and t.site_id = a.site_id and t.client_account_id is not distinct from a.client_account_id
			 union all
			 select r.id, r.thread_id
			   from public.thread_reads r
			   join public.ticket_threads t on t.id = r.thread_id
			  where r.id = any($1::uuid[])
			    and t.site_id = r.site_id and t.client_account_id is not distinct from r.client_account_id`,
			[[...parts.keys()]]
		);
		return rows;
	});
	for (const row of rows) for (const changeId of parts.get(row.id) ?? []) threads.set(changeId, row.thread_id);
	return threads;
}
