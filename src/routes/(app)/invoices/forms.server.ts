import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { AppRole } from '$lib/domain/roles';
import { InvoiceError } from '$lib/server/invoicing/errors';
import type { FieldErrors } from '$lib/validation';

/** Form plumbing of the invoice screens: who may do what, and refusals in the reader's language. */

/** Who bills (validates, runs, edits, issues): private.bills_site says the same. */
export const BILLING: readonly AppRole[] = ['csm', 'site_manager', 'admin'];
/** Who reads invoices: billing staff and directors (the invoices' select policy). */
export const READERS: readonly AppRole[] = [...BILLING, 'director'];

export const reasonSchema = z.string().trim().min(3).max(500);

export const text = (form: FormData, field: string): string => {
	const v = form.get(field);
	return typeof v === 'string' ? v : '';
};

/**
 * The database's refusals come in English and for developers; the reader gets a sentence in
 * their language instead (the known ones by name, the rest by kind).
 */
const refusals: [RegExp, () => string][] = [
	[/^issued$|is issued/, m.invoice_error_frozen],
	[/without lines/, m.invoice_error_no_lines],
	[/invoice_lines_credit_a_line_once/, m.invoice_error_already_credited],
	[/invoices_one_draft_per_period|invoice_lines_bill_a_task_once/, m.invoice_error_race],
	[/cannot go from/, m.invoice_error_transition],
	[/task is billed/, m.invoice_error_task_billed]
];
const byCode: Record<InvoiceError['code'], () => string> = {
	invalid: m.invoice_error_invalid,
	not_found: m.invoice_not_found,
	forbidden: m.invoice_error_forbidden,
	frozen: m.invoice_error_frozen,
	conflict: m.invoice_error_conflict
};

/** Field names of the backend that the form writes differently (euros typed, cents stored). */
const formFields: Record<string, string> = { unitPriceCents: 'unitPrice', discountCents: 'discount' };

/** The answer of a refused action: which form, what was typed, and the errors per field. */
export function refused(action: string, status: number, errors: FieldErrors, values: Record<string, unknown> = {}) {
	return fail(status, { action, errors, values });
}

/** An expected refusal (InvoiceError) becomes a 4xx form failure; anything else is rethrown. */
export function failure(err: unknown, action: string, values: Record<string, unknown> = {}) {
	if (!(err instanceof InvoiceError)) throw err;
	const errors: FieldErrors = {};
	for (const [field, list] of Object.entries(err.errors)) {
		errors[formFields[field] ?? field] = field === '' ? list.map((e) => refusals.find(([re]) => re.test(e))?.[1]() ?? byCode[err.code]()) : list;
	}
	if (!Object.keys(errors).length) errors[''] = [byCode[err.code]()];
	return refused(action, err.status, errors, values);
}
