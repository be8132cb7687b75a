import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import { renderDocument } from '$lib/server/documents/render';
import { storeDocument } from '$lib/server/documents/store';
import type { Storage } from '$lib/server/storage';
import { validate } from '$lib/validation';
import { invoiceDocument } from './document';
import { because } from './drafts';
import { InvoiceError, refusals } from './errors';

type Locale = 'fr' | 'en';

export interface IssueOptions {
	store: Storage;
	/** Queue the issued invoice for the accounting tool (set when an adapter is configured). */
	exportToAccounting: boolean;
}

/**
 * Issues a draft: the database takes the next number of the site's series in this transaction
 * (a rollback gives it back, so numbers have no gaps), dates and freezes the invoice; then its
 * PDF is rendered and filed.
 * From here on the database refuses any edit; corrections are credit notes.
 */
export async function issueInvoice(sql: Sql, invoiceId: string, options: IssueOptions): Promise<{ number: string; documentId: string }> {
	const { rows } = await sql.query<{ status: string; siteId: string; organisationId: string; clientAccountId: string; kind: 'invoice' | 'credit_note'; locale: Locale }>(
		`select status, site_id as "siteId", organisation_id as "organisationId", client_account_id as "clientAccountId", kind, locale
		 from public.invoices where id = $1 for update`,
		[invoiceId]
	);
	const inv = rows[0];
	if (!inv) throw new InvoiceError(404, 'not_found');
	if (inv.status !== 'draft') throw new InvoiceError(409, 'frozen', { '': ['issued'] });
	// The trigger guard_invoice takes the number and sets the dates.
	const { number, issuedOn } = await refusals(async () => {
		const { rows: issued } = await sql.query<{ number: string; issuedOn: string }>(
			`update public.invoices
			 set status = 'issued', export_status = case when $2 then 'pending' end, export_next_at = case when $2 then now() end
			 where id = $1
			 returning number, issued_on::text as "issuedOn"`,
			[invoiceId, options.exportToAccounting]
		);
		return issued[0];
	});
	const model = await invoiceDocument(sql, options.store, invoiceId, issuedOn);
	if (!model) throw new InvoiceError(404, 'not_found');
	const documentId = await storeDocument(sql, options.store, {
		organisationId: inv.organisationId,
		siteId: inv.siteId,
		clientAccountId: inv.clientAccountId,
		kind: inv.kind,
		subjectType: 'invoice',
		subjectId: invoiceId,
		title: number,
		locale: inv.locale,
		bytes: await renderDocument(model)
	});
	await sql.query(`update public.invoices set document_id = $2 where id = $1`, [invoiceId, documentId]);
	return { number, documentId };
}

export const creditNoteSchema = z.object({
	lineIds: z.array(z.uuid()).min(1),
	reason: z.string().trim().min(3).max(500)
});

/**
 * A draft credit note for chosen lines of an issued invoice: each line is credited whole, once
 * (a unique index), at the invoice's price, discount and VAT. It is then issued like an invoice.
 */
export async function createCreditNote(sql: Sql, invoiceId: string, input: unknown, locale: Locale): Promise<string> {
	const parsed = validate(creditNoteSchema, input, locale);
	if (!parsed.ok) throw new InvoiceError(400, 'invalid', parsed.errors);
	await because(sql, parsed.data.reason);
	return refusals(async () => {
		const { rows } = await sql.query<{ id: string }>(
			`insert into public.invoices (organisation_id, site_id, client_account_id, kind, credits_invoice_id, locale, notes)
			 select organisation_id, site_id, client_account_id, 'credit_note', id, locale, $2
			 from public.invoices where id = $1 and kind = 'invoice' and status <> 'draft'
			 returning id`,
			[invoiceId, parsed.data.reason]
		);
		if (!rows[0]) throw new InvoiceError(404, 'not_found');
		const { rowCount } = await sql.query(
			`insert into public.invoice_lines
			   (invoice_id, site_id, client_account_id, credits_line_id, position, description, detail, quantity, unit_price_cents, discount_cents, vat_rate_bp)
			 select $1, l.site_id, l.client_account_id, l.id, l.position, l.description, l.detail, l.quantity, l.unit_price_cents, l.discount_cents, l.vat_rate_bp
			 from public.invoice_lines l
			 where l.invoice_id = $2 and l.id = any ($3::uuid[]) and l.removed_at is null`,
			[rows[0].id, invoiceId, parsed.data.lineIds]
		);
		if (rowCount !== parsed.data.lineIds.length) {
			throw new InvoiceError(400, 'invalid', {
				lineIds: [locale === 'fr' ? 'Une ligne choisie n’appartient pas à cette facture.' : 'A chosen line is not on this invoice.']
			});
		}
		return rows[0].id;
	});
}

const transitions = { sent: 'sent_at', paid: 'paid_at' } as const;

/** Sent to the client, or paid: the only moves after issue (overdue is the job's). */
export async function markInvoice(sql: Sql, invoiceId: string, status: keyof typeof transitions): Promise<void> {
	const { rowCount } = await refusals(() =>
		sql.query(`update public.invoices set status = $2, ${transitions[status]} = now() where id = $1`, [invoiceId, status])
	);
	if (!rowCount) throw new InvoiceError(404, 'not_found');
}
