import { error } from '@sveltejs/kit';
import { threadIdSchema } from '$lib/server/threads/schemas';
import { markRead } from '$lib/server/threads/service';
import type { RequestHandler } from './$types';

/**
 * "I have read this thread up to now", sent by a thread screen (staff or portal: endpoints run
 * without the layouts' role guards, and RLS decides) once its messages are on screen. Not done in
 * `load`: hovering a link preloads the page, which is not reading it.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = threadIdSchema.safeParse(params.id);
	if (!id.success) error(404);
	await locals.db((sql) => markRead(sql, id.data));
	return new Response(null, { status: 204 });
};
