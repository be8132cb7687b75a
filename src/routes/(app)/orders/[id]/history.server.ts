import type { AuditEntry } from '$lib/server/audit';
import type { Sql } from '$lib/server/db/pool';

/**
 * The order's history with its tasks', oldest first, in one query: the audit log's own index on
 * (table, row) finds both. Visible to those the audit policy lets read (CSMs, managers,
 * directors, admins of the site); for anybody else it is simply empty.
 */
export async function orderHistory(sql: Sql, orderId: string, taskIds: string[]): Promise<AuditEntry[]> {
	const { rows } = await sql.query<AuditEntry>(
		`select a.id, a.table_name as "tableName", a.row_id as "rowId", a.op, a.actor_id as "actorId", p.full_name as "actorName",
		        a.reason, a.old_row as before, a.new_row as after, a.occurred_at::text as "occurredAt", s.code as "siteCode"
		 from public.audit_log a
		 left join public.profiles p on p.id = a.actor_id
		 left join public.sites s on s.id = a.site_id
		 where (a.table_name = 'orders' and a.row_id = $1)
		    or (a.table_name = 'tasks' and a.row_id = any ($2::uuid[]))
		 order by a.occurred_at, a.id
		 limit 500`,
		[orderId, taskIds]
	);
	return rows;
}
