import type { Sql } from '$lib/server/db/pool';

/** People of the organisation the reader may see (RLS on profiles), for the "who" filter. */
export async function listPeople(sql: Sql): Promise<{ id: string; fullName: string }[]> {
	const { rows } = await sql.query<{ id: string; fullName: string }>(`select id, full_name as "fullName" from public.profiles order by full_name`);
	return rows;
}
