import type { Sql } from '../db/pool';
import { addDays, isoWeekday } from '../../domain/planning/calendar';
import type { IsoDate } from '../../domain/planning/task';

/**
 * Weekly series for the trend charts, read from the same daily aggregates as `kpiSnapshot`
 * (migration 20261203000300) under the viewer's row-level security, for the same sites
 * (`private.kpi_site_ids()`). Weeks are ISO weeks, Monday to Sunday, of each site's local days.
 */

export interface TrendPoint {
	/** vehicles_processed */
	vehiclesProcessed: number;
	/** immobilisation_hours: null when no vehicle processed that week has an arrival time. */
	immobilisationHours: number | null;
	/** tasks_planned, tasks_done */
	tasksPlanned: number;
	tasksDone: number;
	/** revenue_cents: null where the viewer may not read money. */
	revenueCents: number | null;
}

export interface SiteTrend {
	siteId: string;
	code: string;
	name: string;
	/** One point per week of `KpiTrend.weeks`, in the same order. */
	points: TrendPoint[];
}

export interface KpiTrend {
	/** The Monday of each week, oldest first. */
	weeks: IsoDate[];
	sites: SiteTrend[];
	/** Over the sites listed; null when there are none. */
	consolidated: TrendPoint[] | null;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = TrendPoint & { siteId: string | null; code: string | null; name: string | null; week: IsoDate; total: boolean };

/** The last `weeks` ISO weeks ending with the week of `end`, per visible site (or the one asked) and consolidated. */
export async function kpiTrend(sql: Sql, { weeks, end }: { weeks: number; end: IsoDate }, siteId: string | null): Promise<KpiTrend> {
	if (!isoDate.test(end) || !Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new RangeError(`Invalid KPI trend ${weeks} weeks to ${end}`);
	if (siteId !== null && !uuid.test(siteId)) throw new RangeError('Invalid site id');
	const lastMonday = addDays({ date: end, count: 1 - isoWeekday(end) });
	const mondays = Array.from({ length: weeks }, (_, i) => addDays({ date: lastMonday, count: 7 * (i - weeks + 1) }));
	const lastSunday = addDays({ date: lastMonday, count: 6 });

	// Every site × week is listed (left joins) so a quiet week is a zero, not a gap. The
	// consolidated average divides summed hours by summed vehicles, never averages averages.
	const { rows } = await sql.query<Row>(
		`with sites as (
		   select s.id, s.code, s.name, s.id in (select private.kpi_money_site_ids()) as reads_money
		   from public.sites s
		   where s.id in (select private.kpi_site_ids()) and ($1::uuid is null or s.id = $1::uuid)),
		 weeks as (select w::date as week from generate_series($2::date, $3::date, interval '7 days') w),
		 vehicles as (
		   select site_id, day - (extract(isodow from day)::int - 1) as week,
		          sum(processed) as processed, sum(with_arrival) as with_arrival, sum(hours_sum) as hours_sum
		   from public.kpi_vehicle_days
		   where site_id in (select id from sites) and day between $2::date and $4::date
		   group by 1, 2),
		 tasks as (
		   select site_id, day - (extract(isodow from day)::int - 1) as week, sum(planned) as planned, sum(done) as done
		   from public.kpi_task_days
		   where site_id in (select id from sites) and day between $2::date and $4::date
		   group by 1, 2),
		 revenue as (
		   select site_id, day - (extract(isodow from day)::int - 1) as week, sum(revenue_cents) as revenue
		   from public.kpi_invoice_days
		   where site_id in (select id from sites) and day between $2::date and $4::date
		   group by 1, 2)
		 select s.id as "siteId", s.code, s.name, w.week::text as week, grouping(s.id) = 1 as total,
		        coalesce(sum(v.processed), 0)::int as "vehiclesProcessed",
		        sum(v.hours_sum) / nullif(sum(v.with_arrival), 0) as "immobilisationHours",
		        coalesce(sum(t.planned), 0)::int as "tasksPlanned",
		        coalesce(sum(t.done), 0)::int as "tasksDone",
		        case when bool_or(s.reads_money) then coalesce(sum(r.revenue) filter (where s.reads_money), 0) end::bigint as "revenueCents"
		 from sites s cross join weeks w
		 left join vehicles v on v.site_id = s.id and v.week = w.week
		 left join tasks t on t.site_id = s.id and t.week = w.week
		 left join revenue r on r.site_id = s.id and r.week = w.week
		 group by grouping sets ((w.week, s.id, s.code, s.name), (w.week))
		 order by s.code nulls last, w.week`,
		[siteId, mondays[0], lastMonday, lastSunday]
	);

	const point = ({ vehiclesProcessed, immobilisationHours, tasksPlanned, tasksDone, revenueCents }: Row): TrendPoint => ({
		vehiclesProcessed,
		immobilisationHours,
		tasksPlanned,
		tasksDone,
		revenueCents
	});
	const sites = new Map<string, SiteTrend>();
	for (const row of rows.filter((r) => !r.total)) {
		const site = sites.get(row.siteId!) ?? { siteId: row.siteId!, code: row.code!, name: row.name!, points: [] };
		site.points.push(point(row));
		sites.set(row.siteId!, site);
	}
	const totals = rows.filter((r) => r.total).map(point);
	return { weeks: mondays, sites: [...sites.values()], consolidated: sites.size > 0 ? totals : null };
}
