import { z } from 'zod';
import type { BoardRef, BoardRefusal, HoldRequest, JoinedBoard, PresenceEntry, RollOverRequest } from '../board/model';
import type { WireMessage } from '../board/wire';

/**
 * The one socket contract, shared by the realtime server and the browser's live client.
 *
 * The socket carries metadata only: a change says which row of which table moved, never its
 * content. Pages re-run their own queries under row-level security, so what a person sees is
 * decided by Postgres alone and a routing mistake can at worst reveal that something changed.
 */

export type ChangeOp = 'insert' | 'update' | 'delete';

export interface Change {
	/** public.change_log id: global and increasing, the cursor a reconnecting screen sends back. */
	id: number;
	table: string;
	op: ChangeOp;
	rowId: string | null;
	/** When the change was written (ISO 8601). */
	at: string;
}

/** The rooms a socket is in, re-sent whenever they change (membership granted or revoked). */
export interface Rooms {
	sites: string[];
	clientAccounts: string[];
	threads: string[];
}

export interface CaughtUp {
	/** The cursor to keep: every change up to it that this person may see has been sent. */
	lastId: number;
	/** True when too much was missed to replay one by one: reload everything instead. */
	reset: boolean;
}

export type ErrorCode = 'invalid_payload' | 'rate_limited' | 'forbidden' | 'limit_reached' | 'internal_error';

export interface ErrorDetail {
	path: string;
	message: string;
}

export type Response<T> = { data: T } | { error: ErrorCode; errorDetails?: ErrorDetail[] };

export interface ServerToClientEvents {
	change: (change: Change) => void;
	/** Ends the replay started by `catch_up`: the changes before it in the stream were missed ones. */
	caught_up: (state: CaughtUp) => void;
	rooms: (rooms: Rooms) => void;
	/** A y-protocols sync message (step 1, step 2 or update) for the board `key` (site:period), framed by board/wire.ts. */
	board_sync: (key: string, message: WireMessage) => void;
	board_presence: (key: string, entries: PresenceEntry[]) => void;
	/** The server refused this screen's last change or lost its copy: start the board afresh. */
	board_refused: (key: string, reason: BoardRefusal) => void;
	/** Someone else in a thread room is typing; an internal note's typing reaches staff only. */
	thread_typing: (typing: ThreadTyping) => void;
}

/** The `/wall` namespace (KPI wall devices): something their figures count changed at one of their sites. */
export interface WallServerToClientEvents {
	kpi_changed: () => void;
}

export interface ClientToServerEvents {
	/** Replays the changes after `since` this person may see; `since: null` only asks for a cursor. */
	catch_up: (request: CatchUpRequest, ack: (response: Response<{ replayed: number }>) => void) => void;
	join_thread: (request: ThreadRequest, ack: (response: Response<null>) => void) => void;
	leave_thread: (request: ThreadRequest, ack: (response: Response<null>) => void) => void;
	board_join: (request: BoardRef, ack: (response: Response<JoinedBoard>) => void) => void;
	board_leave: (request: BoardRef, ack: (response: Response<null>) => void) => void;
	board_sync: (key: string, message: WireMessage) => void;
	/** Which card this screen holds (is dragging), shown to everyone on the board. */
	board_hold: (request: HoldRequest, ack: (response: Response<null>) => void) => void;
	/** End of day: the day's unfinished cards go to the next working day or back to the backlog. */
	board_roll_over: (request: RollOverRequest, ack: (response: Response<{ moved: number }>) => void) => void;
	/** "I am typing" in a thread this socket joined; sent at most every few seconds while typing. */
	thread_typing: (request: ThreadTypingRequest, ack?: (response: Response<null>) => void) => void;
}

export const catchUpRequest = z.strictObject({ since: z.number().int().nonnegative().nullable() });
export type CatchUpRequest = z.infer<typeof catchUpRequest>;

// z.guid(), not z.uuid(): Postgres takes any 128-bit hex id, and ids derived with md5()::uuid
// (the demo seed's) carry no RFC version digit.
export const threadRequest = z.strictObject({ threadId: z.guid() });
export type ThreadRequest = z.infer<typeof threadRequest>;

export const threadTypingRequest = z.strictObject({ threadId: z.guid(), internal: z.boolean() });
export type ThreadTypingRequest = z.infer<typeof threadTypingRequest>;

/** Who types where: the server vouches for the person and whether they are staff of the thread's site. */
export interface ThreadTyping {
	threadId: string;
	userId: string;
	byStaff: boolean;
	internal: boolean;
}
