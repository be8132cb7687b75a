import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { daysOf, ranksAfter, type Period } from '../src/lib/board/model';
import { issueLocalToken } from '../src/lib/server/auth/tokens';

/**
 * The board bench's world: a throw-away organisation `bench-board-<timestamp>` with one hub,
 * `teams` teams, `editors` team leads (with tokens) and `cards` tasks of one order, all planned
 * in `period` (spread over the teams and Monday to Saturday, ranked within each lane), written
 * in bulk as superuser, as an import would. `drop()` removes it and the change log rows it caused.
 */
export interface BoardFixture {
	siteId: string;
	period: Period;
	teams: string[];
	/** Monday to Saturday of the period: the days moves go to. */
	days: string[];
	tasks: string[];
	tokens: string[];
	drop(): Promise<void>;
}

export async function createBoardFixture(pool: pg.Pool, { cards, editors, teams: teamCount, period }: { cards: number; editors: number; teams: number; period: Period }): Promise<BoardFixture> {
	const tag = `bench-board-${Date.now()}`;
	const orgId = randomUUID();
	const siteId = randomUUID();
	const clientId = randomUUID();
	const serviceId = randomUUID();
	const orderId = randomUUID();
	const teams = Array.from({ length: teamCount }, () => randomUUID());
	const userIds = Array.from({ length: editors }, () => randomUUID());
	const days = daysOf(period).slice(0, 6);
	const q = (text: string, values: unknown[]) => pool.query(text, values);

	await q('insert into public.organisations (id, name) values ($1, $2)', [orgId, tag]);
	await q(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, address_line, postcode, city, latitude, longitude)
		 values ($1, $2, 'BENCH', $3, 'hub', 'Bench SAS', '12345678900011', 'FR12123456789', '1 rue du Banc', '69000', 'Lyon', 45.7, 4.8)`,
		[siteId, orgId, tag]
	);
	await q(`insert into public.client_accounts (id, organisation_id, name) values ($1, $2, 'Bench client')`, [clientId, orgId]);
	await q(
		`insert into public.teams (id, site_id, name) select t.id, $2, 'Équipe ' || t.n from unnest($1::uuid[]) with ordinality as t(id, n)`,
		[teams, siteId]
	);
	await q(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'WASH', 'Lavage', 'Wash', 'wash', 30)`,
		[serviceId, siteId]
	);
	await q(`insert into public.orders (id, site_id, client_account_id, reference, deadline) values ($1, $2, $3, 'CMD-BENCH', $4)`, [
		orderId,
		siteId,
		clientId,
		daysOf(period)[6]
	]);

	// Cards dealt round-robin over the lanes (team × day), ranked in each lane in that order.
	const lanes = teams.flatMap((team) => days.map((day) => ({ team, day })));
	const perLane = lanes.map((_, i) => Math.floor(cards / lanes.length) + (i < cards % lanes.length ? 1 : 0));
	const ranks = perLane.map((n) => ranksAfter(null, n));
	const tasks: string[] = [];
	const placement = { team: [] as string[], day: [] as string[], rank: [] as string[] };
	for (let i = 0; i < cards; i++) {
		const lane = i % lanes.length;
		tasks.push(randomUUID());
		placement.team.push(lanes[lane].team);
		placement.day.push(lanes[lane].day);
		placement.rank.push(ranks[lane][Math.floor(i / lanes.length)]);
	}
	await q(
		`with v as (
		   insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy)
		   select $1, $2, $3, 'VF1' || lpad(n::text, 14, '0'), 'Renault', 'Clio', 'petrol' from generate_series(1, $4::int) n
		   returning id, vin
		 )
		 insert into public.tasks (id, site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents, team_id, planned_on, board_rank, status)
		 select p.id, $2, $3, $5, v.id, $6, 30, 2500, p.team_id, p.day, p.rank, 'planned'
		   from (select id, row_number() over (order by vin) as n from v) v
		   join unnest($7::uuid[], $8::uuid[], $9::date[], $10::text[]) with ordinality as p(id, team_id, day, rank, n) using (n)`,
		[orgId, siteId, clientId, cards, orderId, serviceId, tasks, placement.team, placement.day, placement.rank]
	);

	await q(
		`insert into auth.users (id, aud, role, email, encrypted_password)
		 select u, 'authenticated', 'authenticated', $2 || '-' || u || '@bench.relais', '' from unnest($1::uuid[]) as u`,
		[userIds, tag]
	);
	await q(
		`insert into public.profiles (id, organisation_id, full_name, email)
		 select u.id, $2, 'Chef ' || u.n, $3 || '-' || u.id || '@bench.relais' from unnest($1::uuid[]) with ordinality as u(id, n)`,
		[userIds, orgId, tag]
	);
	await q(`insert into public.memberships (organisation_id, user_id, site_id, role) select $2, u, $3, 'team_lead' from unnest($1::uuid[]) as u`, [
		userIds,
		orgId,
		siteId
	]);
	const tokens = await Promise.all(userIds.map(async (id) => (await issueLocalToken({ id, email: `${tag}-${id}@bench.relais` })).token));

	return {
		siteId,
		period,
		teams,
		days,
		tasks,
		tokens,
		async drop() {
			// Tasks and vehicles reference the site without a cascade: remove them first.
			await pool.query('delete from public.tasks where site_id = $1', [siteId]);
			await pool.query('delete from public.orders where site_id = $1', [siteId]);
			await pool.query('delete from public.vehicles where site_id = $1', [siteId]);
			await pool.query('delete from public.organisations where id = $1', [orgId]);
			await pool.query('delete from auth.users where id = any($1::uuid[])', [userIds]);
			await pool.query('delete from public.change_log where $1::uuid = any(site_ids) or user_id = any($2::uuid[])', [siteId, userIds]);
		}
	};
}
