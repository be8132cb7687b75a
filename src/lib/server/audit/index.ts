import type { Sql } from '$lib/server/db/pool';

/**
 * Reading the audit trail, which the database writes (triggers) and nobody may alter. Rows are
 * visible to the site's CSMs, managers, directors and admins (RLS).
 */

export interface AuditEntry {
	id: number;
	tableName: string;
	rowId: string;
	op: 'insert' | 'update' | 'delete';
	actorId: string | null;
	actorName: string | null;
	reason: string | null;
	/** For updates, only the columns that changed. */
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
	occurredAt: string;
	siteCode: string | null;
}

export interface AuditFilter {
	tableName?: string | null;
	rowId?: string | null;
	actorId?: string | null;
	siteId?: string | null;
	from?: string | null;
	to?: string | null;
	text?: string | null;
	/** An invoice: its own entries and those of its lines, deleted ones included. */
	invoiceId?: string | null;
}

export const auditedTables = ['orders', 'tasks', 'movements', 'transfers', 'invoices', 'invoice_lines', 'prices', 'document_templates'] as const;

/** Entries with who and where, as AuditEntry; a query adds its own where clause. */
const entries = `
	select a.id, a.table_name as "tableName", a.row_id as "rowId", a.op, a.actor_id as "actorId", p.full_name as "actorName",
	       a.reason, a.old_row as before, a.new_row as after, a.occurred_at::text as "occurredAt", s.code as "siteCode"
	from public.audit_log a
	left join public.profiles p on p.id = a.actor_id
	left join public.sites s on s.id = a.site_id`;

export async function searchAudit(sql: Sql, filter: AuditFilter, limit = 200): Promise<AuditEntry[]> {
	const { rows } = await sql.query<AuditEntry>(
		`${entries}
		 where ($1::text is null or a.table_name = $1)
		   and ($2::uuid is null or a.row_id = $2)
		   and ($3::uuid is null or a.actor_id = $3)
		   and ($4::uuid is null or a.site_id = $4)
		   and ($5::date is null or a.occurred_at >= $5::date)
		   and ($6::date is null or a.occurred_at < $6::date + 1)
		   and ($9::uuid is null
		        or (a.table_name = 'invoices' and a.row_id = $9)
		        or (a.table_name = 'invoice_lines'
		            and (a.row_id in (select l.id from public.invoice_lines l where l.invoice_id = $9) or a.old_row ->> 'invoice_id' = $9::text)))
		   and ($7::text is null or a.reason ilike '%' || $7 || '%' or a.new_row::text ilike '%' || $7 || '%' or a.old_row::text ilike '%' || $7 || '%')
		 order by a.occurred_at desc, a.id desc
		 limit $8`,
		[filter.tableName ?? null, filter.rowId ?? null, filter.actorId ?? null, filter.siteId ?? null, filter.from ?? null, filter.to ?? null, filter.text ?? null, limit, filter.invoiceId ?? null]
	);
	return rows;
}

/** One object's history, oldest first. */
export async function historyOf(sql: Sql, tableName: (typeof auditedTables)[number], rowId: string): Promise<AuditEntry[]> {
	return (await searchAudit(sql, { tableName, rowId }, 500)).reverse();
}

export async function invoiceHistory(sql: Sql, invoiceId: string): Promise<AuditEntry[]> {
	return (await searchAudit(sql, { invoiceId }, 500)).reverse();
}

/**
 * An order's history with its tasks', oldest first, in one query: the log's index on (table,
 * row) finds both.
 */
export async function orderHistory(sql: Sql, orderId: string, taskIds: string[]): Promise<AuditEntry[]> {
	const { rows } = await sql.query<AuditEntry>(
		`${entries}
		 where (a.table_name = 'orders' and a.row_id = $1) or (a.table_name = 'tasks' and a.row_id = any ($2::uuid[]))
		 order by a.occurred_at, a.id
		 limit 500`,
		[orderId, taskIds]
	);
	return rows;
}
