// Relative imports only: this job runs inside the realtime bundle (server.js), outside
// SvelteKit, where $lib does not exist.
import type pg from 'pg';
import { asService } from '../db/pool';
import { notifyWithin } from '../notify';
import { documentList } from '../../domain/transfers/documents';

/**
 * Daily compliance alerts: a driver's document 30 and 7 days before it expires, and once it has
 * expired, tells the driver (when they sign in) and the organisation's managers through
 * `notify()`: in-app, email and SMS by each person's preferences, and only to whoever may read
 * the document. Each threshold is raised once per document and expiry date
 * (private.driver_document_alerts), recorded in the same transaction as the notifications it
 * queued, so a rerun, a restart or several nodes change nothing, a failure leaves the threshold
 * to the next run, and a renewed document starts afresh. A threshold missed while the job was
 * down is caught up; a document already replaced by a later one of the same kind raises nothing.
 */
export async function driverDocumentAlerts(pool: pg.Pool, today?: string): Promise<{ raised: number; notified: number }> {
	return asService(pool, async (sql) => {
		const { rows } = await sql.query<{
			document_id: string;
			driver_id: string;
			full_name: string;
			kind: string;
			expires_on: string;
			days_before: 30 | 7 | 0;
			recipients: string[];
		}>(
			`with day as (select coalesce($1::date, (now() at time zone 'Europe/Paris')::date) as today),
			 due as (
			   select d.id, d.driver_id, d.kind, d.expires_on,
			          case when d.expires_on - day.today <= 0 then 0 when d.expires_on - day.today <= 7 then 7 else 30 end as days_before
			   from public.driver_documents d
			   join public.drivers dr on dr.id = d.driver_id and dr.active
			   cross join day
			   where d.expires_on is not null and d.expires_on - day.today <= 30
			     and not exists (select 1 from public.driver_documents n
			                     where n.driver_id = d.driver_id and n.kind = d.kind and n.id <> d.id
			                       and (n.expires_on is null or n.expires_on > d.expires_on))
			 ),
			 raised as (
			   insert into private.driver_document_alerts (document_id, days_before, expires_on)
			   select id, days_before, expires_on from due
			   on conflict do nothing
			   returning document_id, days_before
			 )
			 select d.id as document_id, dr.id as driver_id, dr.full_name, d.kind, d.expires_on::text as expires_on, r.days_before,
			        array(select p.id from public.profiles p
			              where p.id = dr.profile_id
			                 or p.id in (select m.user_id from public.memberships m
			                             where m.organisation_id = dr.organisation_id and m.role in ('site_manager', 'director', 'admin'))) as recipients
			 from raised r
			 join public.driver_documents d on d.id = r.document_id
			 join public.drivers dr on dr.id = d.driver_id`,
			[today ?? null]
		);
		let notified = 0;
		for (const alert of rows) {
			const { notified: people } = await notifyWithin(sql, {
				kind: 'driver_document_expiring',
				recipients: alert.recipients,
				subject: { table: 'driver_documents', id: alert.document_id },
				title: { fr: wording(alert, 'fr').title, en: wording(alert, 'en').title },
				body: { fr: wording(alert, 'fr').body, en: wording(alert, 'en').body },
				link: `/drivers/${alert.driver_id}`
			});
			notified += people.length;
		}
		return { raised: rows.length, notified };
	});
}

function wording(
	alert: { full_name: string; kind: string; expires_on: string; days_before: 30 | 7 | 0 },
	locale: 'fr' | 'en'
): { title: string; body: string } {
	const doc = documentList([alert.kind], locale);
	if (locale === 'fr') {
		return {
			title: alert.days_before === 0 ? `${alert.full_name} : ${doc} expiré` : `${alert.full_name} : ${doc} expire dans ${alert.days_before} jours`,
			body: `Date d’expiration : ${alert.expires_on}. Sans document valide, le chauffeur ne peut plus être affecté à un transfert.`
		};
	}
	return {
		title: alert.days_before === 0 ? `${alert.full_name}: ${doc} expired` : `${alert.full_name}: ${doc} expires in ${alert.days_before} days`,
		body: `Expiry date: ${alert.expires_on}. Without a valid document the driver can no longer be assigned to a transfer.`
	};
}

/** Runs the alerts on start and then daily (hourly checks: the first run of a day raises them). */
export function startDriverAlerts(pool: pg.Pool, log: (line: string) => void = console.log): { close(): void } {
	const run = () => {
		driverDocumentAlerts(pool)
			.then(({ raised }) => raised > 0 && log(`[drivers] ${raised} document alert(s) raised`))
			.catch((err) => log(`[drivers] document alerts: ${(err as Error).message}`));
	};
	run();
	const timer = setInterval(run, 60 * 60_000);
	return { close: () => clearInterval(timer) };
}
