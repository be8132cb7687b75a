// Relative imports only: these jobs run inside the realtime bundle (server.js), outside
// SvelteKit, where $lib does not exist.
import type pg from 'pg';
import { axonautAdapter } from '../accounting/axonaut';
import type { AccountingAdapter } from '../accounting/model';
import { asService } from '../db/pool';
import { env } from '../env';
import { notify } from '../notify';
import { addDays, monthOf } from '../../domain/planning/calendar';
import { accountingInvoicesByIds } from './accounting';
import { runBilling } from './run';

/**
 * Background work of invoicing: invoices past their due date become overdue (and their client
 * and billing staff hear of it), and issued invoices go to the accounting tool. Both are safe
 * on several nodes: the overdue update moves each invoice once, exports are taken with
 * `skip locked` and a lease.
 */

const LEASE = '2 minutes';
const MAX_ATTEMPTS = 8;

/** Marks overdue what is due and unpaid on `today` (Paris), and notifies each invoice once. */
export async function markOverdue(pool: pg.Pool, today?: string): Promise<string[]> {
	const moved = await asService(pool, async (sql) => {
		const { rows } = await sql.query<{ id: string; number: string; gross: number; due: string; recipients: string[] }>(
			`with moved as (select private.mark_overdue_invoices(coalesce($1::date, (now() at time zone 'Europe/Paris')::date)) as id)
			 select i.id, i.number, i.gross_cents as gross, i.due_on::text as due,
			        array(select cm.user_id from public.client_members cm where cm.client_account_id = i.client_account_id
			              union
			              select m.user_id from public.memberships m
			              where m.organisation_id = i.organisation_id and (m.site_id = i.site_id or m.site_id is null)
			                and m.role in ('csm', 'site_manager', 'admin')) as recipients
			 from moved join public.invoices i on i.id = moved.id`,
			[today ?? null]
		);
		return rows;
	});
	for (const inv of moved) {
		const amount = (inv.gross / 100).toFixed(2);
		await notify(pool, {
			kind: 'invoice_overdue',
			recipients: inv.recipients,
			subject: { table: 'invoices', id: inv.id },
			title: { fr: `Facture ${inv.number} en retard`, en: `Invoice ${inv.number} overdue` },
			body: { fr: `${amount.replace('.', ',')} € TTC, échue le ${inv.due}.`, en: `€${amount} incl. VAT, due ${inv.due}.` },
			link: `/invoices/${inv.id}`
		}).catch((err) => console.error(`[invoicing] overdue ${inv.number}: ${(err as Error).message}`));
	}
	return moved.map((m) => m.id);
}

/** How many days into a month the scheduled run still bills the month before. */
const SCHEDULED_RUN_DAYS = 5;

/**
 * The scheduled monthly run: in the first days of a month (Paris), last month's validated work
 * of every site goes onto drafts, for CSMs to review and issue. Checked daily and on start; it
 * bills nothing twice, so a node restarting, or several nodes, change nothing. Organisations
 * set `settings.monthly_billing = false` to run it by hand only.
 */
export async function scheduledBilling(pool: pg.Pool, today?: string): Promise<{ invoices: number; lines: number }> {
	return asService(pool, async (sql) => {
		const { rows } = await sql.query<{ today: string; sites: string[] }>(
			`select coalesce($1::date, (now() at time zone 'Europe/Paris')::date)::text as today,
			        array(select s.id from public.sites s join public.organisations o on o.id = s.organisation_id
			              where coalesce((o.settings ->> 'monthly_billing')::boolean, true)) as sites`,
			[today ?? null]
		);
		const day = rows[0].today;
		if (Number(day.slice(8, 10)) > SCHEDULED_RUN_DAYS || rows[0].sites.length === 0) return { invoices: 0, lines: 0 };
		// The month of the day before the 1st.
		return runBilling(sql, monthOf(addDays({ date: `${day.slice(0, 7)}-01`, count: -1 })), rows[0].sites);
	});
}

/**
 * Sends due exports, one invoice at a time. A failure is retried with exponential back-off
 * (1 min, 2 min, 4 min…) and marked failed after MAX_ATTEMPTS, for a person to look at.
 */
export async function exportDue(pool: pg.Pool, adapter: AccountingAdapter, log: (line: string) => void = console.log): Promise<number> {
	let exported = 0;
	for (;;) {
		// Lease the next due invoice in its own short transaction: other nodes skip it meanwhile.
		const leased = await asService(pool, async (sql) => {
			const { rows } = await sql.query<{ id: string; attempts: number }>(
				`update public.invoices set export_next_at = now() + $1::interval, export_attempts = export_attempts + 1
				 where id = (select id from public.invoices where export_status = 'pending' and export_next_at <= now()
				             order by export_next_at limit 1 for update skip locked)
				 returning id, export_attempts as attempts`,
				[LEASE]
			);
			return rows[0] ? { ...rows[0], invoice: (await accountingInvoicesByIds(sql, [rows[0].id]))[0] } : null;
		});
		if (!leased) return exported;
		try {
			const result = await adapter.exportInvoice(leased.invoice);
			await asService(pool, async (sql) => {
				await sql.query(
					`update public.invoices set export_status = 'exported', remote_id = $2, exported_at = now(), export_error = null, export_next_at = null where id = $1`,
					[leased.id, result.invoiceRemoteId]
				);
				await sql.query(`update public.client_accounts set accounting_remote_id = $2 where id = $1`, [leased.invoice.customer.id, result.customerRemoteId]);
			});
			exported += 1;
		} catch (err) {
			const message = (err as Error).message.slice(0, 1000);
			const failed = leased.attempts >= MAX_ATTEMPTS;
			await asService(pool, (sql) =>
				sql.query(
					`update public.invoices set export_error = $2, export_status = case when $3 then 'failed' else 'pending' end,
					        export_next_at = case when $3 then null else now() + make_interval(mins => $4) end
					 where id = $1`,
					[leased.id, message, failed, 2 ** (leased.attempts - 1)]
				)
			);
			log(`[invoicing] export of ${leased.invoice.number} failed (attempt ${leased.attempts}${failed ? ', giving up' : ''}): ${message}`);
		}
	}
}

/** Starts the periodic jobs on this node; exports only when an accounting tool is configured. */
export function startInvoicingJobs(pool: pg.Pool, log: (line: string) => void = console.log): { close(): void } {
	const config = env();
	const adapter = config.AXONAUT_API_KEY ? axonautAdapter({ apiKey: config.AXONAUT_API_KEY, baseUrl: config.AXONAUT_URL }) : null;
	if (!adapter) log('[invoicing] accounting export off: AXONAUT_API_KEY is not set (CSV and FEC exports remain)');
	const run = (what: string, job: () => Promise<unknown>) => () => {
		job().catch((err) => log(`[invoicing] ${what}: ${(err as Error).message}`));
	};
	const hourly = run('overdue and monthly run', async () => {
		await markOverdue(pool);
		const billed = await scheduledBilling(pool);
		if (billed.lines > 0) log(`[invoicing] monthly run: ${billed.lines} line(s) on ${billed.invoices} draft(s)`);
	});
	const exports = adapter ? run('export', () => exportDue(pool, adapter, log)) : null;
	hourly();
	exports?.();
	const timers = [setInterval(hourly, 60 * 60_000), ...(exports ? [setInterval(exports, 30_000)] : [])];
	return { close: () => timers.forEach(clearInterval) };
}
