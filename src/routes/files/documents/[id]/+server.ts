import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { readableDocument } from '$lib/server/documents/store';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';

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
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			// Documents are PDFs Relais rendered itself (never an upload), so they may open in the browser.
			'content-type': 'application/pdf',
			'content-length': String(bytes.byteLength),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${document.title}.pdf`)}`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
