import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { imageTypeOf, logoKeyOf, managedSites } from '$lib/server/documents/templates-admin';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';

/** The site's current logo, for the template editor's thumbnail (the PDFs embed their own copy). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const siteId = z.guid().safeParse(url.searchParams.get('site'));
	if (!siteId.success) error(404);
	if (!managedSites(locals.user!.roles, locals.user!.sites).some((s) => s.id === siteId.data)) error(403);
	const key = await locals.db((sql) => logoKeyOf(sql, siteId.data));
	const bytes = key ? await storage().get(key) : null;
	const type = bytes && imageTypeOf(bytes);
	if (!bytes || !type) error(404);
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			'content-type': type.mime,
			'content-length': String(bytes.byteLength),
			'x-content-type-options': 'nosniff',
			// The page asks for it with the key's name in the URL, so a new logo is a new URL.
			'cache-control': 'private, max-age=86400'
		}
	});
};
