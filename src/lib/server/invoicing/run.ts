import type { Sql } from '$lib/server/db/pool';

export interface BillingPeriod {
	/** First and last day, yyyy-mm-dd, inclusive. */
	start: string;
	end: string;
}

export interface BillingRunResult {
	/** Drafts that received lines (created or topped up). */
	invoices: number;
	lines: number;
}

/**
 * The monthly run, as the signed-in person: every validated task done by the end of the period
 * and not billed yet goes onto the draft of its client account and site for that period, one
 * line per vehicle × service at the price frozen on the task.
 *
 * Two runs may race: the drafts are upserted on a unique index and lines inserted with
 * `on conflict do nothing` on the one-line-per-task index, so the second run waits for the
 * first and bills nothing twice. Only sites the person bills are touched (RLS); the scheduled
 * run (jobs.ts) works as the service, on every site.
 */
export async function runBilling(sql: Sql, period: BillingPeriod, siteIds: readonly string[]): Promise<BillingRunResult> {
	const { rows: drafts } = await sql.query<{ id: string }>(
		`insert into public.invoices (organisation_id, site_id, client_account_id, period_start, period_end, locale)
		 select s.organisation_id, t.site_id, t.client_account_id, $1::date, $2::date, min(ca.locale)
		 from public.tasks t
		 join public.sites s on s.id = t.site_id
		 join public.client_accounts ca on ca.id = t.client_account_id
		 where t.status = 'validated' and t.completed_at < $2::date + 1
		   and t.site_id = any (array(select id from unnest($3::uuid[]) as site (id)
		                              where coalesce(auth.role(), '') <> 'authenticated' or private.bills_site(id)))
		   and not exists (select 1 from public.invoice_lines l where l.task_id = t.id)
		 group by s.organisation_id, t.site_id, t.client_account_id
		 on conflict (site_id, client_account_id, period_start, period_end) where status = 'draft' and kind = 'invoice'
		 do update set updated_at = now()
		 returning id`,
		[period.start, period.end, siteIds]
	);
	if (drafts.length === 0) return { invoices: 0, lines: 0 };
	// Positions continue after a topped-up draft's lines: counted once per draft (materialized,
	// or the planner inlines the count into every row written).
	const { rowCount } = await sql.query(
		`with drafts as materialized (
		   select i.id, i.site_id, i.client_account_id, i.period_end, i.locale,
		          (select count(*) from public.invoice_lines e where e.invoice_id = i.id) as lines
		   from public.invoices i where i.id = any ($1::uuid[])
		 )
		 insert into public.invoice_lines
		   (invoice_id, site_id, client_account_id, task_id, position, description, detail, quantity, unit_price_cents, vat_rate_bp)
		 select d.id, d.site_id, d.client_account_id, t.id,
		        d.lines + row_number() over (partition by d.id order by v.plate nulls last, v.vin, t.completed_at, t.id),
		        case when d.locale = 'en' then sv.name_en else sv.name_fr end,
		        concat_ws(' · ', v.plate, v.vin, v.make || ' ' || v.model),
		        1, t.price_cents, sv.vat_rate_bp
		 from drafts d
		 join public.tasks t on t.site_id = d.site_id and t.client_account_id = d.client_account_id
		 join public.vehicles v on v.id = t.vehicle_id
		 join public.services sv on sv.id = t.service_id
		 where t.status = 'validated' and t.completed_at < d.period_end + 1
		   and not exists (select 1 from public.invoice_lines l where l.task_id = t.id)
		 on conflict (task_id) where task_id is not null do nothing`,
		[drafts.map((d) => d.id)]
	);
	return { invoices: drafts.length, lines: rowCount ?? 0 };
}

/** The sites the person may bill, among those asked (all they bill when none is asked). */
export async function billableSites(sql: Sql, siteId: string | null): Promise<string[]> {
	const { rows } = await sql.query<{ id: string }>(
		`select id from public.sites where private.bills_site(id) and ($1::uuid is null or id = $1) order by code`,
		[siteId]
	);
	return rows.map((r) => r.id);
}
