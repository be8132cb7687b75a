import type { Sql } from '../db/pool';
import { immobilisationBuckets, workingDays, type ImmobilisationBucket, type Period } from '../../domain/kpi/definitions';

/**
 * The KPI queries, run as the signed-in viewer inside the transaction `withUser` opened: row-level
 * security filters every row before it is counted, so an aggregate never includes a row the viewer
 * could not read. On top of that, figures are only given for sites where the viewer works as
 * staff (`private.staff_site_ids()`): a client reads some vehicles and tasks of their own, but a
 * client has no KPI. Each statement cites the definition ids (`domain/kpi/definitions.ts`) it
 * implements. Period days are whole days in each site's time zone, both ends included.
 */

export interface TeamWorkload {
	teamId: string;
	siteId: string;
	name: string;
	plannedMinutes: number;
	/** daily_capacity_minutes × Monday-to-Friday days of the period. */
	capacityMinutes: number;
	/** null when the team has no capacity. */
	percent: number | null;
}

export interface KpiValues {
	vehicles_processed: number;
	/** null when no processed vehicle has an arrival time. */
	immobilisation_hours: number | null;
	immobilisation_distribution: Record<ImmobilisationBucket, number>;
	tasks_planned: number;
	tasks_done: number;
	workload: TeamWorkload[];
	/** null where the viewer's role does not read invoices (operators, team leads, sales). */
	revenue_cents: number | null;
	open_transfers: number;
	overdue_invoices: { count: number; amountCents: number } | null;
	overdue_tickets: number;
	/** Open leads now (not at the period's end); null where the viewer does not read money. */
	pipeline_value_cents: { openLeads: number; valueCents: number } | null;
}

export interface SiteKpis {
	siteId: string;
	code: string;
	name: string;
	values: KpiValues;
}

export interface KpiSnapshot {
	period: Period;
	workingDays: number;
	sites: SiteKpis[];
	/** Over the sites listed; null when there are none. */
	consolidated: KpiValues | null;
}

interface VisibleSite {
	id: string;
	code: string;
	name: string;
	readsMoney: boolean;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkInput({ start, end }: Period, siteId: string | null): void {
	if (!isoDate.test(start) || !isoDate.test(end) || end < start) throw new RangeError(`Invalid KPI period ${start} … ${end}`);
	if (siteId !== null && !uuid.test(siteId)) throw new RangeError('Invalid site id');
}

/**
 * Sites whose KPIs the viewer reads (`private.kpi_site_ids()`: site managers, directors, admins and
 * wall devices), optionally one of them; `readsMoney` says whether revenue is theirs to see.
 */
async function visibleSites(sql: Sql, siteId: string | null): Promise<VisibleSite[]> {
	const { rows } = await sql.query<VisibleSite>(
		`select s.id, s.code, s.name, s.id in (select private.kpi_money_site_ids()) as "readsMoney"
		 from public.sites s
		 where s.id in (select private.kpi_site_ids()) and ($1::uuid is null or s.id = $1::uuid)
		 order by s.code`,
		[siteId]
	);
	return rows;
}

/** Rows grouped by `grouping sets ((site), ())`: the consolidated row has `total` true. */
interface Grouped {
	siteId: string | null;
	total: boolean;
}

function bySite<T extends Grouped>(rows: T[]): { sites: Map<string, T>; total: T | undefined } {
	return { sites: new Map(rows.filter((r) => !r.total).map((r) => [r.siteId!, r])), total: rows.find((r) => r.total) };
}

type VehicleRow = Grouped & { processed: number; avgHours: number | null } & Record<ImmobilisationBucket, number>;
type TaskRow = Grouped & { planned: number; done: number };
type RevenueRow = Grouped & { revenue: number };
type StateRow = Grouped & { openTransfers: number; overdueInvoices: number | null; overdueCents: number | null; overdueTickets: number };
type PipelineRow = Grouped & { openLeads: number; valueCents: number };

/**
 * Every available KPI for the period, per site the viewer reads KPIs of (or the one asked) and
 * consolidated. Sums come from the daily aggregates (migration 20261203000300), which carry their
 * site and the same read policy; states at the period's end from `private.kpi_states`.
 */
export async function kpiSnapshot(sql: Sql, period: Period, siteId: string | null): Promise<KpiSnapshot> {
	checkInput(period, siteId);
	const days = workingDays(period.start, period.end);
	const sites = await visibleSites(sql, siteId);
	if (sites.length === 0) return { period, workingDays: days, sites: [], consolidated: null };
	const params = [sites.map((s) => s.id), period.start, period.end];

	// vehicles_processed, immobilisation_hours, immobilisation_distribution.
	const vehicles = await sql.query<VehicleRow>(
		`select site_id as "siteId", grouping(site_id) = 1 as total,
		        sum(processed)::int as processed, sum(hours_sum) / nullif(sum(with_arrival), 0) as "avgHours",
		        sum(lt_24h)::int as lt_24h, sum(h24_48)::int as h24_48, sum(h48_72)::int as h48_72,
		        sum(d3_7)::int as d3_7, sum(gte_7d)::int as gte_7d
		 from public.kpi_vehicle_days
		 where site_id = any ($1::uuid[]) and day between $2::date and $3::date
		 group by grouping sets ((site_id), ())`,
		params
	);

	// tasks_planned, tasks_done: planned on a day of the period, cancelled excluded.
	const tasks = await sql.query<TaskRow>(
		`select site_id as "siteId", grouping(site_id) = 1 as total, sum(planned)::int as planned, sum(done)::int as done
		 from public.kpi_task_days
		 where site_id = any ($1::uuid[]) and day between $2::date and $3::date
		 group by grouping sets ((site_id), ())`,
		params
	);

	// workload: planned minutes per team against capacity × working days ($4). Teams are read
	// through their own policy (staff of the site); a wall device reads them through the days.
	const teams = await sql.query<{ teamId: string; siteId: string; name: string; plannedMinutes: number; capacityMinutes: number }>(
		`select tm.id as "teamId", tm.site_id as "siteId", tm.name,
		        coalesce((select sum(k.planned_minutes) from public.kpi_task_days k
		                  where k.team_id = tm.id and k.site_id = tm.site_id and k.day between $2::date and $3::date), 0)::int as "plannedMinutes",
		        tm.daily_capacity_minutes * $4::int as "capacityMinutes"
		 from private.kpi_teams($1::uuid[]) tm
		 order by tm.name, tm.id`,
		[...params, days]
	);

	// revenue_cents: issued invoices − issued credit notes (net), by issue date.
	const revenue = await sql.query<RevenueRow>(
		`select site_id as "siteId", grouping(site_id) = 1 as total, sum(revenue_cents)::bigint as revenue
		 from public.kpi_invoice_days
		 where site_id = any ($1::uuid[]) and day between $2::date and $3::date
		 group by grouping sets ((site_id), ())`,
		params
	);

	// open_transfers, overdue_invoices, overdue_tickets: states at the period's end.
	const states = await sql.query<StateRow>(
		`select site_id as "siteId", site_id is null as total, open_transfers as "openTransfers",
		        overdue_invoices as "overdueInvoices", overdue_cents as "overdueCents", overdue_tickets as "overdueTickets"
		 from private.kpi_states($1::uuid[], $2::date)`,
		[params[0], period.end]
	);

	// pipeline_value_cents: open leads now, only at the sites whose money the viewer reads.
	const pipeline = await sql.query<PipelineRow>(
		`select site_id as "siteId", site_id is null as total, open_leads as "openLeads", value_cents::float8 as "valueCents"
		 from private.kpi_pipeline($1::uuid[])`,
		[params[0]]
	);

	const v = bySite(vehicles.rows);
	const tk = bySite(tasks.rows);
	const rv = bySite(revenue.rows);
	const st = bySite(states.rows);
	const pl = bySite(pipeline.rows);
	const workload: TeamWorkload[] = teams.rows.map((t) => ({
		...t,
		percent: t.capacityMinutes > 0 ? (100 * t.plannedMinutes) / t.capacityMinutes : null
	}));

	const values = (pick: <T extends Grouped>(g: { sites: Map<string, T>; total: T | undefined }) => T | undefined, teamsOf: TeamWorkload[], readsMoney: boolean): KpiValues => {
		const vr = pick(v);
		const sr = pick(st);
		return {
			vehicles_processed: vr?.processed ?? 0,
			immobilisation_hours: vr?.avgHours ?? null,
			immobilisation_distribution: Object.fromEntries(immobilisationBuckets.map((b) => [b, vr?.[b] ?? 0])) as Record<ImmobilisationBucket, number>,
			tasks_planned: pick(tk)?.planned ?? 0,
			tasks_done: pick(tk)?.done ?? 0,
			workload: teamsOf,
			revenue_cents: readsMoney ? (pick(rv)?.revenue ?? 0) : null,
			overdue_invoices: readsMoney ? { count: sr?.overdueInvoices ?? 0, amountCents: sr?.overdueCents ?? 0 } : null,
			open_transfers: sr?.openTransfers ?? 0,
			overdue_tickets: sr?.overdueTickets ?? 0,
			pipeline_value_cents: readsMoney ? { openLeads: pick(pl)?.openLeads ?? 0, valueCents: pick(pl)?.valueCents ?? 0 } : null
		};
	};

	return {
		period,
		workingDays: days,
		sites: sites.map((s) => ({
			siteId: s.id,
			code: s.code,
			name: s.name,
			values: values(
				(g) => g.sites.get(s.id),
				workload.filter((w) => w.siteId === s.id),
				s.readsMoney
			)
		})),
		consolidated: values(
			(g) => g.total,
			workload,
			sites.some((s) => s.readsMoney)
		)
	};
}

// ─── drill-down ────────────────────────────────────────────────────────────────────────────

// Bounds of the period in the site's zone: [start 00:00, end + 1 day 00:00).
const lower = (zone: string) => `(($2::date)::timestamp at time zone ${zone})`;
const upper = (zone: string) => `(($3::date + 1)::timestamp at time zone ${zone})`;

export type DrillDownKpi = 'vehicles_processed' | 'tasks_done' | 'overdue_invoices';

export interface DrillDownRow {
	id: string;
	siteId: string;
	label: string;
}

/** A drill-down lists at most this many rows (a year of done tasks is close to a million). */
export const DRILL_DOWN_LIMIT = 500;

/**
 * The rows behind a figure of `kpiSnapshot`, with the same conditions, under the same RLS, the
 * first `DRILL_DOWN_LIMIT` of them in time order.
 */
export async function kpiDrillDown(sql: Sql, kpiId: DrillDownKpi, period: Period, siteId: string | null): Promise<DrillDownRow[]> {
	checkInput(period, siteId);
	const sites = await visibleSites(sql, siteId);
	if (sites.length === 0) return [];
	const ids = sites.map((s) => s.id);
	const queries: Record<DrillDownKpi, [string, unknown[]]> = {
		// vehicles_processed
		vehicles_processed: [
			`
			select v.id, v.site_id as "siteId", coalesce(v.plate, v.vin) || ' — ' || v.make || ' ' || v.model as label
			from public.vehicles v join public.sites s on s.id = v.site_id
			where v.site_id = any ($1::uuid[]) and v.ready_at >= ${lower('s.timezone')} and v.ready_at < ${upper('s.timezone')}
			  -- The same bounds widened to any zone, as constants: what the ready_at index can use.
			  and v.ready_at >= ($2::date - 2)::timestamptz and v.ready_at < ($3::date + 3)::timestamptz
			order by v.ready_at, v.id`,
			[ids, period.start, period.end]
		],
		// tasks_done
		tasks_done: [
			`
			select t.id, t.site_id as "siteId",
			       coalesce(sv.name_fr, '?') || ' — ' || coalesce(v.plate, v.vin, '?') || ' (' || t.planned_on::text || ')' as label
			from public.tasks t
			left join public.services sv on sv.id = t.service_id
			-- One vehicle looked up per listed task, rather than every vehicle of the sites hashed.
			left join lateral (select v.plate, v.vin from public.vehicles v where v.id = t.vehicle_id offset 0) v on true
			where t.site_id = any ($1::uuid[]) and t.planned_on between $2::date and $3::date and t.status in ('done', 'validated')
			order by t.planned_on, t.id`,
			[ids, period.start, period.end]
		],
		// overdue_invoices
		overdue_invoices: [
			`
			select i.id, i.site_id as "siteId", i.number || ' — ' || coalesce(ca.name, '?') || ' (' || i.due_on::text || ')' as label
			from public.invoices i
			left join public.client_accounts ca on ca.id = i.client_account_id
			where i.site_id = any ($1::uuid[]) and i.kind = 'invoice' and i.status <> 'draft' and i.issued_on <= $2::date
			  and (i.status = 'overdue' or (i.status in ('issued', 'sent') and i.due_on < $2::date))
			order by i.due_on, i.id`,
			[ids, period.end]
		]
	};
	const [text, values] = queries[kpiId];
	// Row-level security makes the planner overestimate these plans past the JIT threshold, and
	// compiling costs more than the query.
	await sql.query('set local jit = off');
	const { rows } = await sql.query<DrillDownRow>(`${text} limit ${DRILL_DOWN_LIMIT}`, values);
	return rows;
}
