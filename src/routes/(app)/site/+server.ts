import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';

const body = z.object({ siteId: z.guid(), back: z.string().default('/') });

/** Site switcher: remembered on the person's profile, so every device opens on it. */
export const POST: RequestHandler = async ({ request, locals }) => {
	const parsed = body.safeParse(Object.fromEntries(await request.formData()));
	if (!parsed.success) throw error(400, 'Invalid site');
	const { siteId, back } = parsed.data;
	if (!locals.user?.sites.some((s) => s.id === siteId)) throw error(403, 'Site not allowed');
	await locals.db((sql) => sql.query('update public.profiles set last_site_id = $1 where id = auth.uid()', [siteId]));
	throw redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
};
