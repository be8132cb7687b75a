import { getLocale } from '$lib/paraglide/runtime';
import { validate } from '$lib/validation';
import { inboxFilterSchema } from '$lib/server/threads/schemas';
import { listThreads } from '$lib/server/threads/service';
import type { PageServerLoad } from './$types';

/** The staff inbox across the person's sites; filters come from the query string. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends('live:ticket_threads', 'live:ticket_messages');
	const q = url.searchParams;
	const raw = {
		siteId: q.get('site') || undefined,
		status: q.get('status') || undefined,
		assignee: q.get('assignee') || undefined,
		clientAccountId: q.get('client') || undefined,
		overdue: q.get('overdue') === '1'
	};
	// A hand-edited query string falls back to the default view rather than an error page.
	const parsed = validate(inboxFilterSchema, raw, getLocale());
	const filter = parsed.ok ? parsed.data : inboxFilterSchema.parse({});
	const { threads, clients, target } = await locals.db(async (sql) => ({
		threads: await listThreads(sql, filter, getLocale()),
		clients: (
			await sql.query<{ id: string; name: string }>(
				`select distinct ca.id, ca.name from public.client_accounts ca join public.ticket_threads t on t.client_account_id = ca.id order by ca.name`
			)
		).rows,
		target: (await sql.query<{ minutes: number }>(`select response_target_minutes as minutes from public.organisations limit 1`)).rows[0]?.minutes ?? 240
	}));
	return { threads, clients, target, filter, filterErrors: parsed.ok ? null : parsed.errors };
};
