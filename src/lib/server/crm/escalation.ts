// Relative imports only: this job runs inside the realtime bundle (server.js), outside
// SvelteKit, where $lib does not exist.
import type pg from 'pg';
import { asService, type Sql } from '../db/pool';

/** The response delay when the organisation has not set settings.lead_response_minutes. */
export const DEFAULT_RESPONSE_MINUTES = 60;

/**
 * Escalates the leads nobody answered in time: assigned to someone, still new, no first
 * response, assigned longer ago than the organisation's lead_response_minutes (default 60).
 * Each is stamped escalated_at, so it escalates once (reassigning clears the stamp, see the
 * lead_clocks trigger), and the managers of its site get a notification in their language in
 * the same statement; row locks make concurrent runs on several nodes escalate a lead once.
 */
export async function escalateLeads(sql: Sql): Promise<{ escalated: number; notified: number }> {
	const { rows } = await sql.query<{ escalated: number; notified: number }>(
		`with due as (
		   update public.leads l set escalated_at = now()
		   from public.organisations o
		   where o.id = l.organisation_id
		     and l.assigned_to is not null and l.first_response_at is null and l.escalated_at is null and l.stage = 'new'
		     and l.assigned_at < now() - make_interval(mins => coalesce((o.settings ->> 'lead_response_minutes')::int, $1))
		   returning l.id, l.site_id, l.assigned_to, l.customer_id, l.assigned_at
		 ),
		 sent as (
		   insert into public.notifications (user_id, kind, title, body, link)
		   select m.user_id, 'lead_escalated',
		          case when p.locale = 'en' then 'Lead unanswered: ' else 'Prospect sans réponse : ' end
		            || concat_ws(' ', c.first_name, c.last_name),
		          case when p.locale = 'en'
		               then a.full_name || ' has not answered for ' || floor(extract(epoch from now() - d.assigned_at) / 60)::int || ' min.'
		               else a.full_name || ' n’a pas répondu depuis ' || floor(extract(epoch from now() - d.assigned_at) / 60)::int || ' min.' end,
		          '/crm/leads?lead=' || d.id
		   from due d
		   join public.memberships m on m.site_id = d.site_id and m.role = 'site_manager'
		   join public.profiles p on p.id = m.user_id
		   join public.profiles a on a.id = d.assigned_to
		   join public.customers c on c.id = d.customer_id
		   returning 1
		 )
		 select (select count(*)::int from due) as escalated, (select count(*)::int from sent) as notified`,
		[DEFAULT_RESPONSE_MINUTES]
	);
	return rows[0];
}

/** Checks every minute: the shortest delay an organisation may set is a few minutes. */
export function startLeadEscalation(pool: pg.Pool, log: (line: string) => void = console.log): { close(): void } {
	const run = () => {
		asService(pool, escalateLeads)
			.then(({ escalated }) => escalated > 0 && log(`[crm] ${escalated} unanswered lead(s) escalated`))
			.catch((err) => log(`[crm] lead escalation: ${(err as Error).message}`));
	};
	run();
	const timer = setInterval(run, 60_000);
	return { close: () => clearInterval(timer) };
}
