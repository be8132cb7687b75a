import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { readableDocument } from '$lib/server/documents/store';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/**
 * Streams a generated document (an invoice's PDF…) to someone who may read its row under
 * row-level security: the site's staff, or the client account it is for. Anyone else gets the
 * same 404 as for a missing document.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const document = await locals.db((sql) => readableDocument(sql, id.data));
	if (!document) error(404);
	const bytes = await storage().get(document.key);
	if (!bytes) error(404);
	// Documents are PDFs Relais rendered itself (never an upload), so they may open in the browser.
	return fileResponse(bytes, { contentType: 'application/pdf', fileName: `${document.title}.pdf`, disposition: 'inline' });
};
