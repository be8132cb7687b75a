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
	readsInvoices: boolean;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkInput({ start, end }: Period, siteId: string | null): void {
	if (!isoDate.test(start) || !isoDate.test(end) || end < start) throw new RangeError(`Invalid KPI period ${start} … ${end}`);
	if (siteId !== null && !uuid.test(siteId)) throw new RangeError('Invalid site id');
}

/**
 * Sites the viewer works at as staff, optionally one of them. `readsInvoices` repeats the invoice
 * read policy's roles only to tell "0" from "not yours to see": the rows are still filtered by RLS.
 */
async function visibleSites(sql: Sql, siteId: string | null): Promise<VisibleSite[]> {
	const { rows } = await sql.query<VisibleSite>(
		`select s.id, s.code, s.name,
		        private.has_site_role(s.id, '{csm,site_manager,director,admin}') as "readsInvoices"
		 from public.sites s
		 where s.id in (select private.staff_site_ids()) and ($1::uuid is null or s.id = $1::uuid)
		 order by s.code`,
		[siteId]
	);
	return rows;
}

// Bounds of the period in the site's zone: [start 00:00, end + 1 day 00:00).
const lower = (zone: string, start = '$2') => `((${start}::date)::timestamp at time zone ${zone})`;
const upper = (zone: string, end = '$3') => `((${end}::date + 1)::timestamp at time zone ${zone})`;

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
type InvoiceRow = Grouped & { revenue: number; overdueCount: number; overdueCents: number };
type CountRow = Grouped & { count: number };

/** Every available KPI for the period, per site the viewer works at (or the one asked) and consolidated. */
export async function kpiSnapshot(sql: Sql, period: Period, siteId: string | null): Promise<KpiSnapshot> {
	checkInput(period, siteId);
	const days = workingDays(period.start, period.end);
	const sites = await visibleSites(sql, siteId);
	if (sites.length === 0) return { period, workingDays: days, sites: [], consolidated: null };
	const params = [sites.map((s) => s.id), period.start, period.end];
	// States at the period's end (transfers, tickets) take no start.
	const atEnd = [params[0], period.end];

	// vehicles_processed, immobilisation_hours, immobilisation_distribution (bounds as bucketOf).
	const vehicles = await sql.query<VehicleRow>(
		`with v as (
		   select v.site_id, extract(epoch from (v.ready_at - v.arrived_at))::float8 / 3600 as hours
		   from public.vehicles v join public.sites s on s.id = v.site_id
		   where v.site_id = any ($1::uuid[]) and v.ready_at >= ${lower('s.timezone')} and v.ready_at < ${upper('s.timezone')}
		 )
		 select site_id as "siteId", grouping(site_id) = 1 as total,
		        count(*)::int as processed, avg(hours) as "avgHours",
		        count(*) filter (where hours < 24)::int as lt_24h,
		        count(*) filter (where hours >= 24 and hours < 48)::int as h24_48,
		        count(*) filter (where hours >= 48 and hours < 72)::int as h48_72,
		        count(*) filter (where hours >= 72 and hours < 168)::int as d3_7,
		        count(*) filter (where hours >= 168)::int as gte_7d
		 from v group by grouping sets ((site_id), ())`,
		params
	);

	// tasks_planned, tasks_done: planned on a day of the period, cancelled excluded.
	const tasks = await sql.query<TaskRow>(
		`select site_id as "siteId", grouping(site_id) = 1 as total,
		        count(*)::int as planned, count(*) filter (where status in ('done', 'validated'))::int as done
		 from public.tasks
		 where site_id = any ($1::uuid[]) and planned_on between $2::date and $3::date and status <> 'cancelled'
		 group by grouping sets ((site_id), ())`,
		params
	);

	// workload: planned minutes per team (cancelled excluded) against capacity × working days ($4).
	const teams = await sql.query<{ teamId: string; siteId: string; name: string; plannedMinutes: number; capacityMinutes: number }>(
		`select tm.id as "teamId", tm.site_id as "siteId", tm.name,
		        coalesce(sum(t.estimated_minutes), 0)::int as "plannedMinutes",
		        tm.daily_capacity_minutes * $4::int as "capacityMinutes"
		 from public.teams tm
		 left join public.tasks t
		   on t.team_id = tm.id and t.planned_on between $2::date and $3::date and t.status <> 'cancelled'
		 where tm.site_id = any ($1::uuid[])
		 group by tm.id
		 order by tm.name, tm.id`,
		[...params, days]
	);

	// revenue_cents: issued invoices − issued credit notes (net), by issue date, drafts excluded.
	// overdue_invoices: at the period's end, status overdue, or issued/sent and due before its last day.
	const invoices = await sql.query<InvoiceRow>(
		`with i as (
		   select site_id, kind, status, net_cents, gross_cents, issued_on,
		          (kind = 'invoice' and issued_on <= $3::date
		           and (status = 'overdue' or (status in ('issued', 'sent') and due_on < $3::date))) as overdue
		   from public.invoices
		   where site_id = any ($1::uuid[]) and status <> 'draft'
		 )
		 select site_id as "siteId", grouping(site_id) = 1 as total,
		        coalesce(sum(case when kind = 'invoice' then net_cents else -net_cents end)
		                 filter (where issued_on between $2::date and $3::date), 0)::bigint as revenue,
		        count(*) filter (where overdue)::int as "overdueCount",
		        coalesce(sum(gross_cents) filter (where overdue), 0)::bigint as "overdueCents"
		 from i group by grouping sets ((site_id), ())`,
		params
	);

	// open_transfers: requested by the period's end and, at that moment, neither delivered,
	// received nor cancelled. The status then is the last step recorded before the end; a transfer
	// without any recorded step has only its current status to go by. A transfer counts at both
	// of its sites, once in the consolidated figure.
	const transfers = await sql.query<CountRow>(
		`with open_at_end as (
		   select t.id, t.from_site_id, t.to_site_id
		   from public.transfers t join public.sites s on s.id = t.from_site_id
		   where (t.from_site_id = any ($1::uuid[]) or t.to_site_id = any ($1::uuid[]))
		     and t.created_at < ${upper('s.timezone', '$2')}
		     and coalesce(
		           (select e.status from public.transfer_events e
		             where e.transfer_id = t.id and e.occurred_at < ${upper('s.timezone', '$2')}
		             order by e.occurred_at desc limit 1),
		           case when exists (select 1 from public.transfer_events e where e.transfer_id = t.id)
		                then 'requested'::public.transfer_status else t.status end
		         ) not in ('delivered', 'received', 'cancelled')
		 )
		 select x.site_id as "siteId", grouping(x.site_id) = 1 as total, count(distinct o.id)::int as count
		 from open_at_end o cross join lateral unnest(array[o.from_site_id, o.to_site_id]) as x (site_id)
		 where x.site_id = any ($1::uuid[])
		 group by grouping sets ((x.site_id), ())`,
		atEnd
	);

	// overdue_tickets: the inbox rule (threads/service.ts listThreads) evaluated at the period's
	// end, or now while the period runs.
	const tickets = await sql.query<CountRow>(
		`select t.site_id as "siteId", grouping(t.site_id) = 1 as total, count(*)::int as count
		 from public.ticket_threads t
		 join public.sites s on s.id = t.site_id
		 join public.organisations o on o.id = s.organisation_id
		 where t.site_id = any ($1::uuid[]) and t.status <> 'resolved'
		   and t.awaiting_since < least(now(), ${upper('s.timezone', '$2')}) - make_interval(mins => o.response_target_minutes)
		 group by grouping sets ((t.site_id), ())`,
		atEnd
	);

	const v = bySite(vehicles.rows);
	const tk = bySite(tasks.rows);
	const inv = bySite(invoices.rows);
	const tr = bySite(transfers.rows);
	const th = bySite(tickets.rows);
	const workload: TeamWorkload[] = teams.rows.map((t) => ({
		...t,
		percent: t.capacityMinutes > 0 ? (100 * t.plannedMinutes) / t.capacityMinutes : null
	}));

	const values = (pick: <T extends Grouped>(g: { sites: Map<string, T>; total: T | undefined }) => T | undefined, teamsOf: TeamWorkload[], readsInvoices: boolean): KpiValues => {
		const vr = pick(v);
		const ir = pick(inv);
		return {
			vehicles_processed: vr?.processed ?? 0,
			immobilisation_hours: vr?.avgHours ?? null,
			immobilisation_distribution: Object.fromEntries(immobilisationBuckets.map((b) => [b, vr?.[b] ?? 0])) as Record<ImmobilisationBucket, number>,
			tasks_planned: pick(tk)?.planned ?? 0,
			tasks_done: pick(tk)?.done ?? 0,
			workload: teamsOf,
			revenue_cents: readsInvoices ? (ir?.revenue ?? 0) : null,
			overdue_invoices: readsInvoices ? { count: ir?.overdueCount ?? 0, amountCents: ir?.overdueCents ?? 0 } : null,
			open_transfers: pick(tr)?.count ?? 0,
			overdue_tickets: pick(th)?.count ?? 0
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
				s.readsInvoices
			)
		})),
		consolidated: values(
			(g) => g.total,
			workload,
			sites.some((s) => s.readsInvoices)
		)
	};
}

// ─── drill-down ────────────────────────────────────────────────────────────────────────────

export type DrillDownKpi = 'vehicles_processed' | 'tasks_done' | 'overdue_invoices';

export interface DrillDownRow {
	id: string;
	siteId: string;
	label: string;
}

/** The rows behind a figure of `kpiSnapshot`, with the same conditions, under the same RLS. */
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
			left join public.vehicles v on v.id = t.vehicle_id
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
	const { rows } = await sql.query<DrillDownRow>(text, values);
	return rows;
}
