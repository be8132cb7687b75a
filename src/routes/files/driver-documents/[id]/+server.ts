import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { fileResponse } from '$lib/server/file-response';
import { storage } from '$lib/server/storage';
import { documentFileTypeOf, readableDriverDocument } from '$lib/server/transfers/drivers';
import type { RequestHandler } from './$types';

/**
 * Streams a driver's document to someone who may read its row under row-level security (the
 * organisation's managers, the driver themself); to anyone else it is missing, like a
 * document that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const document = await locals.db((sql) => readableDriverDocument(sql, id.data));
	if (!document) error(404);
	const bytes = await storage().get(document.key);
	if (!bytes) error(404);
	// Only PDF, JPEG and PNG are accepted on upload; the type is read from the bytes again.
	const contentType = documentFileTypeOf(bytes) ?? 'application/octet-stream';
	return fileResponse(bytes, { contentType, fileName: document.fileName, disposition: 'attachment' });
};
