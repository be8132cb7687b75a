import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { invoiceTotals } from '$lib/domain/invoicing/totals';
import { m } from '$lib/paraglide/messages';
import { invoiceDetail } from '$lib/server/invoicing/queries';
import { threadsOn } from '$lib/server/threads/service';
import type { PageServerLoad } from './$types';

/**
 * One invoice as its client sees it: the lines as printed (removed ones are not billed, and
 * why is internal), totals, the PDF, and the questions asked about each line. Read as the
 * client, so a draft or another account's invoice is a 404.
 */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:invoices', 'live:documents', 'live:ticket_threads', 'live:ticket_messages');
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404, m.portal_invoice_not_found());
	const found = await locals.db(async (sql) => {
		const invoice = await invoiceDetail(sql, id.data);
		if (!invoice || invoice.status === 'draft') return null;
		const lines = invoice.lines.filter((l) => l.removedReason === null);
		const threads = await threadsOn(
			sql,
			'invoice_line',
			lines.map((l) => l.id)
		);
		return { invoice, lines, threads };
	});
	if (!found) error(404, m.portal_invoice_not_found());
	const { invoice, lines, threads } = found;
	return {
		invoice: {
			id: invoice.id,
			kind: invoice.kind,
			number: invoice.number,
			status: invoice.status,
			clientName: invoice.clientName,
			periodStart: invoice.periodStart,
			periodEnd: invoice.periodEnd,
			issuedOn: invoice.issuedOn,
			dueOn: invoice.dueOn,
			paidAt: invoice.paidAt,
			notes: invoice.notes,
			creditsNumber: invoice.creditsNumber,
			documentId: invoice.documentId
		},
		totals: invoiceTotals(lines),
		lines: lines.map((l) => ({
			id: l.id,
			description: l.description,
			detail: l.detail,
			quantity: l.quantity,
			unitPriceCents: l.unitPriceCents,
			discountCents: l.discountCents,
			vatRateBp: l.vatRateBp,
			netCents: l.netCents,
			threads: threads.filter((t) => t.subjectId === l.id).map((t) => ({ id: t.id, title: t.title, status: t.status, unread: t.unread }))
		}))
	};
};
