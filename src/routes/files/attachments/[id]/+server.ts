import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { storage } from '$lib/server/storage';
import { readableAttachment } from '$lib/server/threads/service';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/**
 * Streams a ticket attachment to someone who may read its row under row-level security (an
 * internal note's files are invisible to clients, so they 404 exactly like a missing file).
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const attachment = await locals.db((sql) => readableAttachment(sql, id.data));
	if (!attachment) error(404);
	const bytes = await storage().get(attachment.key);
	if (!bytes) error(404);
	// Always a download: an uploaded file is never rendered as a page of this origin.
	return fileResponse(bytes, { contentType: attachment.mimeType, fileName: attachment.fileName, disposition: 'attachment' });
};
