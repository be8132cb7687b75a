import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { saleDocumentPdf } from '$lib/server/crm/sale-document';
import { fileResponse } from '$lib/server/file-response';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';

/**
 * A quote's sale document (devis, or bon de commande once accepted), with the selling site's
 * legal details, for whoever reads the quote under row-level security; anyone else gets the
 * same 404 as for a missing quote.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const pdf = await locals.db((sql) => saleDocumentPdf(sql, storage(), id.data, getLocale()));
	if (!pdf) error(404);
	return fileResponse(pdf.bytes, { contentType: 'application/pdf', fileName: pdf.fileName, disposition: 'inline' });
};
