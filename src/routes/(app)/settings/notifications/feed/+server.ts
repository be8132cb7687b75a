import { error, json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { loadBell, markRead, markReadInput } from '$lib/server/notify/inbox';
import { validate } from '$lib/validation';
import type { RequestHandler } from './$types';

/**
 * The bell's data, for staff and clients alike (an endpoint, so the staff layout's redirect of
 * clients does not apply): the latest notifications, and marking them read. Run as the person.
 */
export const GET: RequestHandler = async ({ locals }) => json(await locals.db((sql) => loadBell(sql)));

export const POST: RequestHandler = async ({ locals, request }) => {
	const parsed = validate(markReadInput, await request.json().catch(() => null), getLocale());
	if (!parsed.ok) throw error(400, Object.values(parsed.errors).flat().join(' '));
	return json(await locals.db(async (sql) => {
		await markRead(sql, parsed.data);
		return loadBell(sql);
	}));
};
