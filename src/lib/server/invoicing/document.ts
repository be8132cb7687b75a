import type { Sql } from '$lib/server/db/pool';
import type { DocumentModel } from '$lib/server/documents/model';
import { issuerOf, templateTexts } from '$lib/server/documents/store';
import type { Storage } from '$lib/server/storage';
import { invoiceTotals } from '$lib/domain/invoicing/totals';

interface InvoiceHead {
	kind: 'invoice' | 'credit_note';
	siteId: string;
	number: string | null;
	issuedOn: string | null;
	dueOn: string | null;
	locale: 'fr' | 'en';
	notes: string | null;
	periodStart: string | null;
	periodEnd: string | null;
	creditsNumber: string | null;
	clientName: string;
	billingAddress: string | null;
	billingEmail: string | null;
}

/**
 * The invoice or credit note as its PDF prints it, read as the person (a draft previews with
 * no number and a draft mark). Removed lines are left out; totals follow the invoice rule.
 */
export async function invoiceDocument(sql: Sql, store: Storage, invoiceId: string, today: string): Promise<DocumentModel | null> {
	const { rows } = await sql.query<InvoiceHead>(
		`select i.kind, i.site_id as "siteId", i.number, i.issued_on::text as "issuedOn", i.due_on::text as "dueOn", i.locale, i.notes,
		        i.period_start::text as "periodStart", i.period_end::text as "periodEnd", c.number as "creditsNumber",
		        ca.name as "clientName", ca.billing_address as "billingAddress", ca.billing_email as "billingEmail"
		 from public.invoices i
		 join public.client_accounts ca on ca.id = i.client_account_id
		 left join public.invoices c on c.id = i.credits_invoice_id
		 where i.id = $1`,
		[invoiceId]
	);
	const head = rows[0];
	if (!head) return null;
	// One after the other: a transaction's connection runs one query at a time anyway.
	const issuer = await issuerOf(sql, store, head.siteId);
	const texts = await templateTexts(sql, head.siteId, head.kind, head.locale);
	const lines = await sql.query<{ description: string; detail: string | null; quantity: number; unitPriceCents: number; discountCents: number; vatRateBp: number; netCents: number }>(
		`select description, detail, quantity, unit_price_cents as "unitPriceCents", discount_cents as "discountCents",
		        vat_rate_bp as "vatRateBp", net_cents as "netCents"
		 from public.invoice_lines where invoice_id = $1 and removed_at is null order by position, created_at`,
		[invoiceId]
	);
	if (!issuer) return null;
	const period = head.periodStart && head.periodEnd ? `${head.periodStart} → ${head.periodEnd}` : null;
	return {
		kind: head.kind,
		locale: head.locale,
		issuer,
		recipient: {
			name: head.clientName,
			addressLines: head.billingAddress ? head.billingAddress.split('\n') : [],
			email: head.billingEmail
		},
		number: head.number,
		issuedOn: head.issuedOn ?? today,
		dueOn: head.dueOn,
		reference: period,
		creditsNumber: head.creditsNumber,
		lines: lines.rows,
		totals: invoiceTotals(lines.rows),
		notes: head.notes,
		texts
	};
}
