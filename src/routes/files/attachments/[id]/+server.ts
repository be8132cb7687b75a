import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { storage } from '$lib/server/storage';
import { readableAttachment } from '$lib/server/threads/service';
import type { RequestHandler } from './$types';

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
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			'content-type': attachment.mimeType,
			'content-length': String(bytes.byteLength),
			// Always a download: an uploaded file is never rendered as a page of this origin.
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
