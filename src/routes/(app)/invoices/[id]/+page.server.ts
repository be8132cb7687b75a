import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { holdsRoleAt } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { invoiceHistory } from '$lib/server/audit';
import { appPool } from '$lib/server/db';
import type { Sql } from '$lib/server/db/pool';
import { env } from '$lib/server/env';
import { addLine, deleteDraft, removeLine, restoreLine, setDiscount, setNotes } from '$lib/server/invoicing/drafts';
import { createCreditNote, issueInvoice, markInvoice } from '$lib/server/invoicing/issue';
import { invoiceDetail } from '$lib/server/invoicing/queries';
import { notifyInvoiceIssued } from '$lib/server/notify/events';
import { storage } from '$lib/server/storage';
import { threadsOn } from '$lib/server/threads/service';
import { validate } from '$lib/validation';
import { parseEuros } from '../amounts';
import { BILLING, failure, reasonSchema, refused, text } from '../forms.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const idSchema = z.guid();

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:invoices', 'live:documents', 'live:ticket_threads', 'live:ticket_messages');
	const id = idSchema.safeParse(params.id);
	if (!id.success) error(404, m.invoice_not_found());
	const found = await locals.db(async (sql) => {
		const invoice = await invoiceDetail(sql, id.data);
		if (!invoice) return null;
		const history = await invoiceHistory(sql, invoice.id);
		const threads = await threadsOn(
			sql,
			'invoice_line',
			invoice.lines.map((l) => l.id)
		);
		return { invoice, history, threads };
	});
	// Not visible under row-level security and not existing look the same, on purpose.
	if (!found) error(404, m.invoice_not_found());
	const { invoice, history, threads } = found;
	// Each line shows how many threads discuss it and whether any is unread (threads come newest first).
	const lineThreads: Record<string, { count: number; unread: number; latest: string }> = {};
	for (const t of threads) {
		const entry = (lineThreads[t.subjectId] ??= { count: 0, unread: 0, latest: t.id });
		entry.count += 1;
		entry.unread += t.unread;
	}
	const user = locals.user!;
	return {
		invoice,
		siteName: user.sites.find((s) => s.id === invoice.siteId)?.name ?? invoice.siteCode,
		history,
		lineThreads,
		canBill: holdsRoleAt(user.roles, invoice.siteId, BILLING)
	};
};

/** Runs one edit of the invoice as the person; an InvoiceError becomes the form's failure. */
async function attempt<T>(event: RequestEvent, action: string, values: Record<string, unknown>, run: (id: string) => (sql: Sql) => Promise<T>) {
	const id = idSchema.safeParse(event.params.id);
	if (!id.success) return { ok: false as const, failure: refused(action, 404, { '': [m.invoice_not_found()] }, values) };
	// Readers who bill nowhere (directors) would otherwise meet the row lock's 404; the database decides for the others.
	if (!event.locals.user!.roles.some((r) => BILLING.includes(r.role))) {
		return { ok: false as const, failure: refused(action, 403, { '': [m.invoice_error_forbidden()] }, values) };
	}
	try {
		return { ok: true as const, value: await event.locals.db(run(id.data)) };
	} catch (err) {
		return { ok: false as const, failure: failure(err, action, values) };
	}
}

/** The same failure, with a plainer message for one field when `when` holds. */
function explain<F extends { data: { errors: Record<string, string[]> } }>(result: F, field: string, when: boolean, message: () => string): F {
	if (when) result.data.errors[field] = [message()];
	return result;
}

const deleteSchema = z.object({ reason: reasonSchema });

export const actions: Actions = {
	addLine: async (event) => {
		const form = await event.request.formData();
		const values = {
			description: text(form, 'description'),
			detail: text(form, 'detail'),
			quantity: text(form, 'quantity'),
			unitPrice: text(form, 'unitPrice'),
			vatRateBp: text(form, 'vatRateBp'),
			reason: text(form, 'reason')
		};
		const cents = parseEuros(values.unitPrice);
		const done = await attempt(event, 'addLine', values, (id) => (sql) =>
			addLine(sql, id, { ...values, unitPriceCents: cents ?? Number.NaN }, getLocale())
		);
		return done.ok ? { action: 'addLine', done: m.invoice_line_added() } : explain(done.failure, 'unitPrice', cents === null, m.invoice_error_amount);
	},
	removeLine: async (event) => {
		const form = await event.request.formData();
		const values = { lineId: text(form, 'lineId'), reason: text(form, 'reason') };
		const done = await attempt(event, 'removeLine', values, (id) => (sql) => removeLine(sql, id, values, getLocale()));
		return done.ok ? { action: 'removeLine', done: m.invoice_line_removed() } : done.failure;
	},
	restoreLine: async (event) => {
		const form = await event.request.formData();
		const values = { lineId: text(form, 'lineId') };
		const lineId = idSchema.safeParse(values.lineId);
		if (!lineId.success) return refused('restoreLine', 404, { '': [m.invoice_not_found()] }, values);
		const done = await attempt(event, 'restoreLine', values, (id) => (sql) => restoreLine(sql, id, lineId.data));
		return done.ok ? { action: 'restoreLine', done: m.invoice_line_restored() } : done.failure;
	},
	discount: async (event) => {
		const form = await event.request.formData();
		const values = { lineId: text(form, 'lineId'), discount: text(form, 'discount'), reason: text(form, 'reason') };
		const cents = parseEuros(values.discount);
		const done = await attempt(event, 'discount', values, (id) => (sql) =>
			setDiscount(sql, id, { ...values, discountCents: cents ?? Number.NaN }, getLocale())
		);
		return done.ok ? { action: 'discount', done: m.invoice_discount_saved() } : explain(done.failure, 'discount', cents === null, m.invoice_error_amount);
	},
	notes: async (event) => {
		const form = await event.request.formData();
		const values = { notes: text(form, 'notes') };
		const done = await attempt(event, 'notes', values, (id) => (sql) => setNotes(sql, id, values, getLocale()));
		return done.ok ? { action: 'notes', done: m.invoice_notes_saved() } : done.failure;
	},
	delete: async (event) => {
		const form = await event.request.formData();
		const values = { reason: text(form, 'reason') };
		const parsed = validate(deleteSchema, values, getLocale());
		if (!parsed.ok) return refused('delete', 400, parsed.errors, values);
		const done = await attempt(event, 'delete', values, (id) => (sql) => deleteDraft(sql, id, parsed.data.reason));
		if (!done.ok) return done.failure;
		redirect(303, '/invoices?deleted=1');
	},
	issue: async (event) => {
		const done = await attempt(event, 'issue', {}, (id) => (sql) =>
			issueInvoice(sql, id, { store: storage(), exportToAccounting: Boolean(env().AXONAUT_API_KEY) })
		);
		if (!done.ok) return done.failure;
		// After the commit: the client hears of it only once it is really issued.
		await notifyInvoiceIssued(await appPool(), { invoiceId: event.params.id });
		return { action: 'issue', done: m.invoice_issued({ number: done.value.number }) };
	},
	sent: async (event) => {
		const done = await attempt(event, 'sent', {}, (id) => (sql) => markInvoice(sql, id, 'sent'));
		return done.ok ? { action: 'sent', done: m.invoice_marked_sent() } : done.failure;
	},
	paid: async (event) => {
		const done = await attempt(event, 'paid', {}, (id) => (sql) => markInvoice(sql, id, 'paid'));
		return done.ok ? { action: 'paid', done: m.invoice_marked_paid() } : done.failure;
	},
	creditNote: async (event) => {
		const form = await event.request.formData();
		const values = { lineIds: form.getAll('lineIds').map(String), reason: text(form, 'reason') };
		const done = await attempt(event, 'creditNote', values, (id) => (sql) => createCreditNote(sql, id, values, getLocale()));
		if (!done.ok) return explain(done.failure, 'lineIds', values.lineIds.length === 0, m.invoice_credit_none_chosen);
		redirect(303, `/invoices/${done.value}`);
	}
};
