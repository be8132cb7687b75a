import { z } from 'zod';
import type { Sql } from '../db/pool';

/** What the bell shows: the person's latest notifications, run as them (RLS: their own only). */
export interface BellItem {
	id: string;
	kind: string;
	title: string;
	body: string | null;
	link: string | null;
	read: boolean;
	createdAt: string;
}

export async function loadBell(sql: Sql, limit = 20): Promise<{ items: BellItem[]; unread: number }> {
	const { rows } = await sql.query<BellItem>(
		`select id, kind, title, body, link, read_at is not null as read, created_at as "createdAt"
		 from public.notifications where in_app order by created_at desc limit $1`,
		[limit]
	);
	const count = await sql.query<{ unread: number }>(`select count(*)::int as unread from public.notifications where in_app and read_at is null`);
	return { items: rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })), unread: count.rows[0].unread };
}

/** Mark one or some notifications read, or all of them. */
export const markReadInput = z.union([z.object({ ids: z.array(z.guid()).min(1).max(100) }), z.object({ all: z.literal(true) })]);

export async function markRead(sql: Sql, input: z.output<typeof markReadInput>): Promise<void> {
	if ('all' in input) await sql.query(`update public.notifications set read_at = now() where read_at is null`);
	else await sql.query(`update public.notifications set read_at = now() where read_at is null and id = any($1::uuid[])`, [input.ids]);
}
