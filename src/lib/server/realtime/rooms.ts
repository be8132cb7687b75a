import type pg from 'pg';
import { withUser, type JwtClaims } from '../db/pool';
import type { Rooms } from '../../realtime/events';
import type { CapturedChange } from './changes';

/**
 * Room names and who may be in them. A person's rooms are read from the database as that
 * person, through the same helpers the policies use, so the rooms can never be wider than
 * what row-level security lets them select.
 */

export const siteRoom = (id: string) => `site:${id}`;
const clientRoom = (id: string) => `client:${id}`;
export const userRoom = (id: string) => `user:${id}`;
export const threadRoom = (id: string) => `thread:${id}`;
/**
 * A site's dealer stock, for people who read it through a wider rule than working there (sales
 * with the organisation's `sales_see_group_stock`). Only dealer-stock vehicle changes go there.
 */
const stockRoom = (id: string) => `stock:${id}`;

const SCOPED = /^(site|client|user|thread|stock):/;
const idsIn = (socketRooms: Iterable<string>, prefix: string) =>
	[...socketRooms].filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));

/** A person's rooms; `stockSites` stay on the server (the client is told `Rooms`). */
export interface PersonRooms extends Rooms {
	stockSites: string[];
}

/** Loads the rooms of `claims.sub`, keeping only the `threads` they may still read. */
export async function loadRooms(pool: pg.Pool, claims: JwtClaims, threads: string[]): Promise<PersonRooms> {
	return withUser(pool, claims, async (sql) => {
		const { rows } = await sql.query<{ sites: string[]; client_accounts: string[]; threads: string[]; stock_sites: string[] }>(
			`select array(select private.staff_site_ids()) as sites,
			        array(select private.client_account_ids()) as client_accounts,
			        array(select t.id from public.ticket_threads t where t.id = any($1::uuid[])) as threads,
			        array(select private.group_stock_site_ids()) as stock_sites`,
			[threads]
		);
		const row = rows[0];
		return { sites: row.sites, clientAccounts: row.client_accounts, threads: row.threads, stockSites: row.stock_sites };
	});
}

export function roomNames(userId: string, rooms: PersonRooms): string[] {
	return [
		userRoom(userId),
		...rooms.sites.map(siteRoom),
		...rooms.clientAccounts.map(clientRoom),
		...rooms.threads.map(threadRoom),
		...rooms.stockSites.map(stockRoom)
	];
}

/** A socket's rooms as the client is told them, read back from the room names. */
export function describeRooms(socketRooms: Iterable<string>): Rooms {
	return { sites: idsIn(socketRooms, 'site:'), clientAccounts: idsIn(socketRooms, 'client:'), threads: threadsOf(socketRooms) };
}

export const threadsOf = (socketRooms: Iterable<string>): string[] => idsIn(socketRooms, 'thread:');

interface RoomMember {
	rooms: Set<string>;
	join(room: string | string[]): unknown;
	leave(room: string): unknown;
}

/** Leaves the scoped rooms a socket lost and joins the ones it gained. */
export function applyRooms(socket: RoomMember, names: string[]): void {
	const wanted = new Set(names);
	for (const room of [...socket.rooms]) if (SCOPED.test(room) && !wanted.has(room)) socket.leave(room);
	socket.join(names.filter((r) => !socket.rooms.has(r)));
}

/**
 * The rooms a change goes to, from its routing keys alone; `threadId` is set only when the
 * change belongs to a thread and may be shown to everyone who can read that thread.
 */
export function routeChange(change: CapturedChange, threadId: string | undefined): string[] {
	const rooms = change.siteIds.map(siteRoom);
	if (change.table === 'vehicles' && !change.clientAccountId) rooms.push(...change.siteIds.map(stockRoom));
	if (change.clientAccountId && !change.internal) rooms.push(clientRoom(change.clientAccountId));
	if (change.userId) rooms.push(userRoom(change.userId));
	if (threadId && !change.internal) rooms.push(threadRoom(threadId));
	return rooms;
}
