import { randomUUID } from 'node:crypto';
import { testVin, type World } from '../world';

export interface Plan {
	teams: { wash: string; prep: string; otherSite: string };
	tasks: string[];
}

/**
 * Two teams at the world's hub (and one elsewhere), one order of Acme with `count` unplanned
 * tasks, written as superuser as the order intake would have written them.
 */
export async function planningFixture(world: World, count: number): Promise<Plan> {
	const q = (text: string, values: unknown[]) => world.pool.query(text, values);
	const { hub, hub2 } = world.sites;
	const teams = { wash: randomUUID(), prep: randomUUID(), otherSite: randomUUID() };
	await q(
		`insert into public.teams (id, site_id, name, daily_capacity_minutes) values ($1, $4, 'Lavage', 480), ($2, $4, 'Préparation', 480), ($3, $5, 'Lavage', 480)`,
		[teams.wash, teams.prep, teams.otherSite, hub, hub2]
	);
	const service = randomUUID();
	await q(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'WASH', 'Lavage', 'Wash', 'wash', 30)`,
		[service, hub]
	);
	const order = randomUUID();
	await q(`insert into public.orders (id, site_id, client_account_id, reference, deadline) values ($1, $2, $3, $4, '2030-01-31')`, [
		order,
		hub,
		world.clients.acme,
		`CMD-${order.slice(0, 6)}`
	]);
	const tasks: string[] = [];
	for (let i = 0; i < count; i++) {
		const vehicle = randomUUID();
		await q(
			`insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol')`,
			[vehicle, world.orgId, hub, world.clients.acme, testVin()]
		);
		const task = randomUUID();
		await q(
			`insert into public.tasks (id, site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents) values ($1, $2, $3, $4, $5, $6, 30, 2500)`,
			[task, hub, world.clients.acme, order, vehicle, service]
		);
		tasks.push(task);
	}
	return { teams, tasks };
}

/** What the tasks table says of the plan of `ids`, keyed by task id (unplanned tasks left out). */
export async function projectedPlan(world: World, ids: string[]) {
	const { rows } = await world.pool.query<{
		id: string;
		team_id: string | null;
		assignee_id: string | null;
		planned_on: string | null;
		planned_start_minutes: number | null;
		board_rank: string | null;
		status: string;
	}>(
		`select id, team_id, assignee_id, to_char(planned_on, 'YYYY-MM-DD') as planned_on, planned_start_minutes, board_rank, status
		   from public.tasks where id = any ($1::uuid[])`,
		[ids]
	);
	return new Map(
		rows
			.filter((r) => r.planned_on !== null)
			.map((r) => [r.id, { teamId: r.team_id, assigneeId: r.assignee_id, day: r.planned_on!, start: r.planned_start_minutes, rank: r.board_rank! }])
	);
}
