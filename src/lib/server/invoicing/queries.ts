import type { Sql } from '$lib/server/db/pool';
import type { Totals } from '$lib/domain/invoicing/totals';

export type InvoiceStatus = 'draft' | 'issued' | 'sent' | 'paid' | 'overdue';

export interface InvoiceFilter {
	siteId?: string | null;
	clientAccountId?: string | null;
	status?: InvoiceStatus | null;
	/** Any day of the month, yyyy-mm-dd: invoices of that period or issued in it. */
	month?: string | null;
}

export interface InvoiceSummary {
	id: string;
	kind: 'invoice' | 'credit_note';
	number: string | null;
	status: InvoiceStatus;
	siteId: string;
	siteCode: string;
	clientAccountId: string;
	clientName: string;
	clientColour: string;
	periodStart: string | null;
	periodEnd: string | null;
	issuedOn: string | null;
	dueOn: string | null;
	netCents: number;
	vatCents: number;
	grossCents: number;
	lineCount: number;
	documentId: string | null;
	exportStatus: 'pending' | 'exported' | 'failed' | null;
}

const summaryColumns = `
	i.id, i.kind, i.number, i.status, i.site_id as "siteId", s.code as "siteCode", i.client_account_id as "clientAccountId",
	ca.name as "clientName", ca.colour as "clientColour", i.period_start::text as "periodStart", i.period_end::text as "periodEnd",
	i.issued_on::text as "issuedOn", i.due_on::text as "dueOn", i.net_cents as "netCents", i.vat_cents as "vatCents",
	i.gross_cents as "grossCents", i.document_id as "documentId", i.export_status as "exportStatus",
	(select count(*)::int from public.invoice_lines l where l.invoice_id = i.id and l.removed_at is null) as "lineCount"`;

/** Invoices the person may read (RLS), newest first. */
export async function listInvoices(sql: Sql, filter: InvoiceFilter, limit = 500): Promise<InvoiceSummary[]> {
	const { rows } = await sql.query<InvoiceSummary>(
		`select ${summaryColumns}
		 from public.invoices i
		 join public.sites s on s.id = i.site_id
		 join public.client_accounts ca on ca.id = i.client_account_id
		 where ($1::uuid is null or i.site_id = $1)
		   and ($2::uuid is null or i.client_account_id = $2)
		   and ($3::public.invoice_status is null or i.status = $3)
		   and ($4::date is null or date_trunc('month', coalesce(i.period_start, i.issued_on, i.created_at::date)) = date_trunc('month', $4::date))
		 order by (i.status = 'draft') desc, coalesce(i.issued_on, i.created_at::date) desc, i.number desc nulls first
		 limit $5`,
		[filter.siteId ?? null, filter.clientAccountId ?? null, filter.status ?? null, filter.month ?? null, limit]
	);
	return rows;
}

export interface InvoiceLineRow {
	id: string;
	taskId: string | null;
	creditsLineId: string | null;
	position: number;
	description: string;
	detail: string | null;
	quantity: number;
	unitPriceCents: number;
	discountCents: number;
	vatRateBp: number;
	netCents: number;
	addedReason: string | null;
	removedReason: string | null;
	/** A credit note already covers this line. */
	credited: boolean;
	threadCount: number;
}

export interface InvoiceDetail extends InvoiceSummary {
	organisationId: string;
	locale: 'fr' | 'en';
	notes: string | null;
	sentAt: string | null;
	paidAt: string | null;
	creditsInvoiceId: string | null;
	creditsNumber: string | null;
	exportError: string | null;
	remoteId: string | null;
	lines: InvoiceLineRow[];
	creditNotes: { id: string; number: string | null; status: InvoiceStatus; grossCents: number }[];
	totals?: Totals;
}

export async function invoiceDetail(sql: Sql, id: string): Promise<InvoiceDetail | null> {
	const { rows } = await sql.query<Omit<InvoiceDetail, 'lines' | 'creditNotes'>>(
		`select ${summaryColumns}, i.organisation_id as "organisationId", i.locale, i.notes, i.sent_at::text as "sentAt",
		        i.paid_at::text as "paidAt", i.credits_invoice_id as "creditsInvoiceId", c.number as "creditsNumber",
		        i.export_error as "exportError", i.remote_id as "remoteId"
		 from public.invoices i
		 join public.sites s on s.id = i.site_id
		 join public.client_accounts ca on ca.id = i.client_account_id
		 left join public.invoices c on c.id = i.credits_invoice_id
		 where i.id = $1`,
		[id]
	);
	if (!rows[0]) return null;
	const lines = await sql.query<InvoiceLineRow>(
		`select l.id, l.task_id as "taskId", l.credits_line_id as "creditsLineId", l.position, l.description, l.detail, l.quantity,
		        l.unit_price_cents as "unitPriceCents", l.discount_cents as "discountCents", l.vat_rate_bp as "vatRateBp",
		        l.net_cents as "netCents", l.added_reason as "addedReason", l.removed_reason as "removedReason",
		        exists (select 1 from public.invoice_lines c where c.credits_line_id = l.id) as credited,
		        (select count(*)::int from public.ticket_threads t where t.subject_type = 'invoice_line' and t.subject_id = l.id) as "threadCount"
		 from public.invoice_lines l where l.invoice_id = $1 order by l.position, l.created_at`,
		[id]
	);
	const credits = await sql.query<InvoiceDetail['creditNotes'][number]>(
		`select id, number, status, gross_cents as "grossCents" from public.invoices where credits_invoice_id = $1 order by created_at`,
		[id]
	);
	return { ...rows[0], lines: lines.rows, creditNotes: credits.rows };
}

export interface DoneTask {
	id: string;
	orderId: string;
	orderReference: string;
	clientName: string;
	plate: string | null;
	vin: string;
	service: string;
	priceCents: number;
	completedAt: string;
}

/** Done tasks waiting for validation at a site, oldest first. */
export async function tasksToValidate(sql: Sql, siteId: string, locale: 'fr' | 'en', limit = 500): Promise<DoneTask[]> {
	const { rows } = await sql.query<DoneTask>(
		`select t.id, o.id as "orderId", o.reference as "orderReference", ca.name as "clientName", v.plate, v.vin,
		        case when $2 = 'en' then sv.name_en else sv.name_fr end as service, t.price_cents as "priceCents",
		        t.completed_at::text as "completedAt"
		 from public.tasks t
		 join public.orders o on o.id = t.order_id
		 join public.client_accounts ca on ca.id = t.client_account_id
		 join public.vehicles v on v.id = t.vehicle_id
		 join public.services sv on sv.id = t.service_id
		 where t.site_id = $1 and t.status = 'done'
		 order by t.completed_at, o.reference
		 limit $3`,
		[siteId, locale, limit]
	);
	return rows;
}

/** Validates done tasks; the database refuses anyone but billing staff, and tasks not done. */
export async function validateTasks(sql: Sql, taskIds: readonly string[]): Promise<number> {
	const { rowCount } = await sql.query(`update public.tasks set status = 'validated' where id = any ($1::uuid[]) and status = 'done'`, [taskIds]);
	return rowCount ?? 0;
}
