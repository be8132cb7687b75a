import type { Sql } from '$lib/server/db/pool';
import type { TaskStatus, VehicleStatus } from '$lib/components/labels';

/**
 * Today's activity at one site, read as the signed-in person (row-level security decides what
 * they see). "Today" is the site's own calendar day, not the server's.
 */

export interface TodayCounters {
	vehiclesOnSite: number;
	todo: number;
	inProgress: number;
	doneToday: number;
}

export interface TodayTask {
	id: string;
	status: TaskStatus;
	plannedOn: string | null;
	estimatedMinutes: number;
	plate: string | null;
	make: string | null;
	model: string | null;
	vehicleStatus: VehicleStatus | null;
	service: string | null;
	clientName: string;
	clientColour: string;
	teamName: string | null;
	teamColour: string | null;
	orderReference: string | null;
	/** A problem an operator raised on the task, until it is cleared. */
	flagReason: string | null;
}

/** Vehicles physically at the site, whatever they are there for. */
const ON_SITE: VehicleStatus[] = ['on_site', 'in_service', 'ready', 'in_stock', 'reserved'];

const SITE_DAY = `select s.id, s.timezone, (now() at time zone s.timezone)::date as today from public.sites s where s.id = $1`;

export async function siteToday(sql: Sql, siteId: string): Promise<string | null> {
	const { rows } = await sql.query<{ today: string }>(`select (now() at time zone timezone)::date::text as today from public.sites where id = $1`, [
		siteId
	]);
	return rows[0]?.today ?? null;
}

export async function todayCounters(sql: Sql, siteId: string): Promise<TodayCounters> {
	const { rows } = await sql.query(
		`with site as (${SITE_DAY})
		 select
		   (select count(*) from public.vehicles v where v.site_id = site.id and v.status = any ($2::public.vehicle_status[]))::int as vehicles_on_site,
		   (select count(*) from public.tasks t where t.site_id = site.id and t.planned_on = site.today
		      and t.status in ('todo', 'planned'))::int as todo,
		   (select count(*) from public.tasks t where t.site_id = site.id and t.status = 'in_progress')::int as in_progress,
		   (select count(*) from public.tasks t where t.site_id = site.id and t.status in ('done', 'validated')
		      and coalesce((t.completed_at at time zone site.timezone)::date, t.planned_on) = site.today)::int as done_today
		 from site`,
		[siteId, ON_SITE]
	);
	const r = rows[0];
	return {
		vehiclesOnSite: r?.vehicles_on_site ?? 0,
		todo: r?.todo ?? 0,
		inProgress: r?.in_progress ?? 0,
		doneToday: r?.done_today ?? 0
	};
}

/**
 * Tasks planned for today, tasks in progress whatever their day, and tasks finished today:
 * what is running first, then what is left, then what is done.
 */
export async function todayTasks(sql: Sql, siteId: string, locale: 'fr' | 'en'): Promise<TodayTask[]> {
	const { rows } = await sql.query(
		`with site as (${SITE_DAY})
		 select t.id, t.status, t.planned_on::text as planned_on, t.estimated_minutes,
		        v.plate, v.make, v.model, v.status as vehicle_status,
		        case when $2 = 'en' then sv.name_en else sv.name_fr end as service,
		        c.name as client_name, c.colour as client_colour,
		        tm.name as team_name, tm.colour as team_colour,
		        o.reference as order_reference, t.flag_reason
		 from public.tasks t
		 join site on site.id = t.site_id
		 join public.client_accounts c on c.id = t.client_account_id
		 left join public.vehicles v on v.id = t.vehicle_id
		 left join public.services sv on sv.id = t.service_id
		 left join public.teams tm on tm.id = t.team_id
		 left join public.orders o on o.id = t.order_id
		 where t.status <> 'cancelled'
		   and (t.planned_on = site.today
		        or t.status = 'in_progress'
		        or (t.status in ('done', 'validated') and (t.completed_at at time zone site.timezone)::date = site.today))
		 order by case t.status when 'in_progress' then 0 when 'planned' then 1 when 'todo' then 2 else 3 end,
		          tm.name nulls last, v.plate nulls last, sv.name_fr, t.id
		 limit 500`,
		[siteId, locale]
	);
	return rows.map((r) => ({
		id: r.id,
		status: r.status,
		plannedOn: r.planned_on,
		estimatedMinutes: r.estimated_minutes,
		plate: r.plate,
		make: r.make,
		model: r.model,
		vehicleStatus: r.vehicle_status,
		service: r.service,
		clientName: r.client_name,
		clientColour: r.client_colour,
		teamName: r.team_name,
		teamColour: r.team_colour,
		orderReference: r.order_reference,
		flagReason: r.flag_reason
	}));
}

export type Transition = 'start' | 'complete';
export type TransitionOutcome = 'ok' | 'forbidden' | 'stale' | 'not_found';

/** The statuses a task may leave for each transition, and what changes. */
const transitions: Record<Transition, { from: TaskStatus[]; set: string }> = {
	start: { from: ['todo', 'planned'], set: `status = 'in_progress', started_at = coalesce(started_at, now())` },
	complete: {
		from: ['todo', 'planned', 'in_progress'],
		set: `status = 'done', started_at = coalesce(started_at, now()), completed_at = now()`
	}
};

/**
 * Moves a task on. When nothing is updated, tells why: the row is invisible (not_found),
 * visible but its status moved on meanwhile (stale), or visible and movable but the policies
 * refuse this person (forbidden).
 */
export async function moveTask(sql: Sql, taskId: string, transition: Transition): Promise<TransitionOutcome> {
	const { from, set } = transitions[transition];
	const updated = await sql.query(`update public.tasks set ${set} where id = $1 and status = any ($2::public.task_status[]) returning id`, [
		taskId,
		from
	]);
	if (updated.rowCount) return 'ok';
	const { rows } = await sql.query<{ status: TaskStatus }>('select status from public.tasks where id = $1', [taskId]);
	if (!rows[0]) return 'not_found';
	return from.includes(rows[0].status) ? 'forbidden' : 'stale';
}
