import type pg from 'pg';
import { withUser } from '../db/pool';
import { catchUpRequest } from '../../realtime/events';
import { wireChange, type CapturedChange, type ChangeFeed } from './changes';
import { validated } from './handler';
import type { RealtimeSocket } from './types';

// Beyond this many missed changes, replaying them one by one costs more than reloading.
const REPLAY_LIMIT = 1_000;

/**
 * `catch_up { since }`: the changes after `since`, read from the change log as the person, so
 * the log's policy (the same routing as the rooms) decides what they get. They are sent as
 * ordinary `change` events, then `caught_up` carries the cursor to keep.
 *
 * The cursor may move up to the feed's position even when nothing was replayed: every change
 * up to it was either in the select or is still to be fanned out to this (already joined)
 * socket, so a quiet screen does not rescan the same stretch of the log at every reconnect.
 */
export function catchUpHandler(socket: RealtimeSocket, pool: pg.Pool, feed: ChangeFeed, log: (line: string) => void) {
	return validated(
		catchUpRequest,
		async ({ since }) => {
			const head = feed.lastId;
			if (since === null) {
				socket.emit('caught_up', { lastId: head, reset: false });
				return { replayed: 0 };
			}
			const { rows, horizon } = await withUser(pool, socket.data.claims, async (sql) => {
				const { rows } = await sql.query<Pick<CapturedChange, 'id' | 'table' | 'op' | 'rowId' | 'committedAt'>>(
					`select id, table_name as "table", op, row_id as "rowId", committed_at as "committedAt"
					   from public.change_log where id > $1 order by id limit $2`,
					[since, REPLAY_LIMIT + 1]
				);
				const horizon = (await sql.query<{ h: number }>('select private.change_log_horizon() as h')).rows[0].h;
				return { rows, horizon };
			});
			// Too much to replay, or part of it already pruned: the screen reloads instead.
			if (rows.length > REPLAY_LIMIT || since < horizon) {
				socket.emit('caught_up', { lastId: Math.max(head, since), reset: true });
				return { replayed: 0 };
			}
			for (const row of rows) socket.emit('change', wireChange(row));
			socket.emit('caught_up', { lastId: Math.max(since, head, rows.at(-1)?.id ?? 0), reset: false });
			return { replayed: rows.length };
		},
		log
	);
}
