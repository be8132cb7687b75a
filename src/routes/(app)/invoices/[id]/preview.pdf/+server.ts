import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { renderDocument } from '$lib/server/documents/render';
import { invoiceDocument } from '$lib/server/invoicing/document';
import { invoiceDetail } from '$lib/server/invoicing/queries';
import { siteToday } from '$lib/server/prices/price-list';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/**
 * The draft as its PDF would print, rendered on the fly and never stored (a draft has no
 * number yet). Read as the person, so an invoice they may not see is a 404. An issued invoice
 * has its filed PDF: this sends there instead.
 */
const fileNames = {
	fr: { invoice: 'facture-brouillon.pdf', credit_note: 'avoir-brouillon.pdf' },
	en: { invoice: 'draft-invoice.pdf', credit_note: 'draft-credit-note.pdf' }
} as const;

export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const found = await locals.db(async (sql) => {
		const head = await invoiceDetail(sql, id.data);
		if (!head) return null;
		if (head.status !== 'draft') return { documentId: head.documentId };
		const today = (await siteToday(sql, head.siteId)) ?? new Date().toISOString().slice(0, 10);
		return { model: await invoiceDocument(sql, storage(), id.data, today) };
	});
	if (!found) error(404);
	if ('documentId' in found) {
		if (!found.documentId) error(404);
		redirect(303, `/files/documents/${found.documentId}`);
	}
	if (!found.model) error(404);
	const bytes = await renderDocument(found.model);
	const fileName = fileNames[found.model.locale][found.model.kind === 'credit_note' ? 'credit_note' : 'invoice'];
	return fileResponse(bytes, { contentType: 'application/pdf', fileName, disposition: 'inline' });
};
