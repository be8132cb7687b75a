import type { Sql } from '$lib/server/db/pool';
import type { TaskStatus } from '$lib/domain/planning/task';

/**
 * What the planning board shows besides the placements (which come from the board's Yjs
 * document): the site's teams and people, and the cards' content. Read as the signed-in person.
 */

export interface BoardTeam {
	id: string;
	name: string;
	colour: string;
	dailyCapacityMinutes: number;
	/** Zones whose services the team performs; null: every service. */
	zoneKinds: string[] | null;
}

export interface BoardPerson {
	id: string;
	name: string;
	teamId: string | null;
}

export interface BoardTask {
	id: string;
	status: TaskStatus;
	estimatedMinutes: number;
	plate: string | null;
	vin: string;
	make: string | null;
	model: string | null;
	serviceId: string;
	service: string;
	zoneKind: string;
	clientId: string;
	clientName: string;
	clientColour: string;
	orderId: string;
	orderReference: string;
	deadline: string;
	/** The plan as the tasks table has it: shown until the live document has synced. */
	teamId: string | null;
	assigneeId: string | null;
	plannedOn: string | null;
	startMinutes: number | null;
	rank: string | null;
}

export async function boardTeams(sql: Sql, siteId: string): Promise<BoardTeam[]> {
	const { rows } = await sql.query(
		`select id, name, colour, daily_capacity_minutes, zone_kinds::text[] as zone_kinds from public.teams where site_id = $1 order by name, id`,
		[siteId]
	);
	return rows.map((r) => ({ id: r.id, name: r.name, colour: r.colour, dailyCapacityMinutes: r.daily_capacity_minutes, zoneKinds: r.zone_kinds }));
}

/** People who carry tasks at the site (the operator lanes); empty for those who may not list staff. */
export async function boardPeople(sql: Sql, siteId: string): Promise<BoardPerson[]> {
	const { rows } = await sql.query(
		`select distinct p.id, p.full_name, p.team_id
		   from public.memberships m join public.profiles p on p.id = m.user_id
		  where m.site_id = $1 and m.role in ('operator', 'team_lead')
		  order by p.full_name, p.id`,
		[siteId]
	);
	return rows.map((r) => ({ id: r.id, name: r.full_name, teamId: r.team_id }));
}

/**
 * Tasks planned in the week `from`–`to`, and the backlog: unfinished tasks without a day, most
 * urgent first (bounded: a backlog longer than that is planned a page at a time).
 */
export async function boardTasks(sql: Sql, siteId: string, from: string, to: string, locale: 'fr' | 'en'): Promise<BoardTask[]> {
	const { rows } = await sql.query(
		`select t.id, t.status, t.estimated_minutes, v.plate, v.vin, v.make, v.model,
		        t.service_id, case when $4 = 'en' then sv.name_en else sv.name_fr end as service, sv.zone_kind,
		        c.id as client_id, c.name as client_name, c.colour as client_colour,
		        o.id as order_id, o.reference as order_reference, to_char(o.deadline, 'YYYY-MM-DD') as deadline,
		        t.team_id, t.assignee_id, to_char(t.planned_on, 'YYYY-MM-DD') as planned_on, t.planned_start_minutes, t.board_rank
		   from public.tasks t
		   join public.vehicles v on v.id = t.vehicle_id
		   join public.services sv on sv.id = t.service_id
		   join public.client_accounts c on c.id = t.client_account_id
		   join public.orders o on o.id = t.order_id
		  where t.site_id = $1 and t.status <> 'cancelled'
		    and (t.planned_on between $2 and $3)
		 union all
		 (select t.id, t.status, t.estimated_minutes, v.plate, v.vin, v.make, v.model,
		        t.service_id, case when $4 = 'en' then sv.name_en else sv.name_fr end, sv.zone_kind,
		        c.id, c.name, c.colour, o.id, o.reference, to_char(o.deadline, 'YYYY-MM-DD'),
		        t.team_id, t.assignee_id, null, null, null
		   from public.tasks t
		   join public.vehicles v on v.id = t.vehicle_id
		   join public.services sv on sv.id = t.service_id
		   join public.client_accounts c on c.id = t.client_account_id
		   join public.orders o on o.id = t.order_id
		  where t.site_id = $1 and t.planned_on is null and t.status in ('todo', 'planned', 'in_progress') and o.status = 'open'
		  order by o.deadline, t.estimated_minutes desc, t.id
		  limit 400)`,
		[siteId, from, to, locale]
	);
	return rows.map((r) => ({
		id: r.id,
		status: r.status,
		estimatedMinutes: r.estimated_minutes,
		plate: r.plate,
		vin: r.vin,
		make: r.make,
		model: r.model,
		serviceId: r.service_id,
		service: r.service,
		zoneKind: r.zone_kind,
		clientId: r.client_id,
		clientName: r.client_name,
		clientColour: r.client_colour,
		orderId: r.order_id,
		orderReference: r.order_reference,
		deadline: r.deadline,
		teamId: r.team_id,
		assigneeId: r.assignee_id,
		plannedOn: r.planned_on,
		startMinutes: r.planned_start_minutes,
		rank: r.board_rank
	}));
}
