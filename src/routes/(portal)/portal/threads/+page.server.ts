import { getLocale } from '$lib/paraglide/runtime';
import { listThreads } from '$lib/server/threads/service';
import type { PageServerLoad } from './$types';

/** The client's threads: row-level security keeps them to their own accounts. */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('live:ticket_threads', 'live:ticket_messages');
	return { threads: await locals.db((sql) => listThreads(sql, { status: 'all' }, getLocale())) };
};
