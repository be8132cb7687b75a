import { error } from '@sveltejs/kit';
import { fileResponse } from '$lib/server/file-response';
import { storage } from '$lib/server/storage';
import { readablePhoto } from '$lib/server/yard/photos';
import type { RequestHandler } from './$types';

const KEY = /^yard\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.(jpg|png|webp)$/;

/**
 * Streams an inspection photo to someone who may read an inspection naming it (the site's staff,
 * the vehicle's client); anyone else gets the same 404 as for a photo that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	if (!KEY.test(params.key)) error(404);
	const photo = await locals.db((sql) => readablePhoto(sql, params.key));
	if (!photo) error(404);
	const bytes = await storage().get(photo.key);
	if (!bytes) error(404);
	// Checked image bytes written by the server itself: shown inline, as a photo.
	return fileResponse(bytes, { contentType: photo.type, fileName: params.key.split('/').pop()!, disposition: 'inline' });
};
