import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import { validate } from '$lib/validation';
import { InvoiceError, refusals } from './errors';

/**
 * Editing a draft, as the signed-in CSM or site manager. Every edit says why, and the reason
 * lands in the audit trail with the change (`relais.reason`). The database refuses any edit of
 * an issued invoice; these functions only shape the input.
 */

const reason = z.string().trim().min(3).max(500);
const cents = z.coerce.number().int().min(0).max(100_000_000);

export const addLineSchema = z.object({
	description: z.string().trim().min(1).max(300),
	detail: z.string().trim().max(300).optional(),
	quantity: z.coerce.number().int().min(1).max(10_000),
	unitPriceCents: cents,
	vatRateBp: z.coerce.number().int().min(0).max(10_000),
	reason
});
export const removeLineSchema = z.object({ lineId: z.uuid(), reason });
export const discountSchema = z.object({ lineId: z.uuid(), discountCents: cents, reason });
export const notesSchema = z.object({ notes: z.string().trim().max(2000) });

type Locale = 'fr' | 'en';

function parse<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new InvoiceError(400, 'invalid', result.errors);
	return result.data;
}

export async function because(sql: Sql, why: string): Promise<void> {
	await sql.query(`select set_config('relais.reason', $1, true)`, [why]);
}

/** Locks the draft for the edit; a missing or invisible invoice is a 404, an issued one a 409. */
async function lockDraft(sql: Sql, invoiceId: string): Promise<void> {
	const { rows } = await sql.query<{ status: string }>(`select status from public.invoices where id = $1 for update`, [invoiceId]);
	if (!rows[0]) throw new InvoiceError(404, 'not_found');
	if (rows[0].status !== 'draft') throw new InvoiceError(409, 'frozen', { '': ['issued'] });
}

export async function addLine(sql: Sql, invoiceId: string, input: unknown, locale: Locale): Promise<string> {
	const line = parse(addLineSchema, input, locale);
	await lockDraft(sql, invoiceId);
	await because(sql, line.reason);
	const { rows } = await refusals(() =>
		sql.query<{ id: string }>(
			`insert into public.invoice_lines
			   (invoice_id, site_id, client_account_id, position, description, detail, quantity, unit_price_cents, vat_rate_bp, added_reason)
			 select i.id, i.site_id, i.client_account_id,
			        coalesce((select max(position) from public.invoice_lines where invoice_id = i.id), 0) + 1,
			        $2, nullif($3, ''), $4, $5, $6, $7
			 from public.invoices i where i.id = $1
			 returning id`,
			[invoiceId, line.description, line.detail ?? '', line.quantity, line.unitPriceCents, line.vatRateBp, line.reason]
		)
	);
	return rows[0].id;
}

/**
 * A line billed from a task is waived, not deleted: the task stays billed once and the line
 * shows why it counts for nothing. A manual line is simply deleted (the audit keeps it).
 */
export async function removeLine(sql: Sql, invoiceId: string, input: unknown, locale: Locale): Promise<void> {
	const { lineId, reason: why } = parse(removeLineSchema, input, locale);
	await lockDraft(sql, invoiceId);
	await because(sql, why);
	const { rowCount } = await refusals(async () => {
		const deleted = await sql.query(`delete from public.invoice_lines where id = $1 and invoice_id = $2 and task_id is null`, [lineId, invoiceId]);
		if (deleted.rowCount) return deleted;
		return sql.query(
			`update public.invoice_lines set removed_reason = $3, removed_at = now(), removed_by = auth.uid()
			 where id = $1 and invoice_id = $2 and removed_at is null`,
			[lineId, invoiceId, why]
		);
	});
	if (!rowCount) throw new InvoiceError(404, 'not_found');
}

export async function restoreLine(sql: Sql, invoiceId: string, lineId: string): Promise<void> {
	await lockDraft(sql, invoiceId);
	await because(sql, 'restored');
	const { rowCount } = await refusals(() =>
		sql.query(
			`update public.invoice_lines set removed_reason = null, removed_at = null, removed_by = null
			 where id = $1 and invoice_id = $2 and removed_at is not null`,
			[lineId, invoiceId]
		)
	);
	if (!rowCount) throw new InvoiceError(404, 'not_found');
}

export async function setDiscount(sql: Sql, invoiceId: string, input: unknown, locale: Locale): Promise<void> {
	const { lineId, discountCents, reason: why } = parse(discountSchema, input, locale);
	await lockDraft(sql, invoiceId);
	await because(sql, why);
	const { rows } = await sql.query<{ gross: number }>(
		`select quantity * unit_price_cents as gross from public.invoice_lines where id = $1 and invoice_id = $2`,
		[lineId, invoiceId]
	);
	if (!rows[0]) throw new InvoiceError(404, 'not_found');
	if (discountCents > rows[0].gross) {
		throw new InvoiceError(400, 'invalid', {
			discountCents: [locale === 'fr' ? 'La remise dépasse le montant de la ligne.' : 'The discount exceeds the line amount.']
		});
	}
	await refusals(() => sql.query(`update public.invoice_lines set discount_cents = $2 where id = $1`, [lineId, discountCents]));
}

export async function setNotes(sql: Sql, invoiceId: string, input: unknown, locale: Locale): Promise<void> {
	const { notes } = parse(notesSchema, input, locale);
	await lockDraft(sql, invoiceId);
	await refusals(() => sql.query(`update public.invoices set notes = nullif($2, '') where id = $1`, [invoiceId, notes]));
}

/** Deletes a draft; its tasks become billable again. */
export async function deleteDraft(sql: Sql, invoiceId: string, why: string): Promise<void> {
	await lockDraft(sql, invoiceId);
	await because(sql, why);
	await refusals(() => sql.query(`delete from public.invoices where id = $1`, [invoiceId]));
}
