import type { Sql } from '../db/pool';

/** A delivery that failed for good or is being retried after an error. */
export interface FailingDelivery {
	id: string;
	channel: 'email' | 'push' | 'sms';
	kind: string;
	status: 'queued' | 'failed';
	attempts: number;
	lastError: string | null;
	nextAttemptAt: string;
	updatedAt: string;
	recipient: string;
	recipientEmail: string;
}

/** The organisation's failing deliveries, run as the admin: the policy shows admins nothing else. */
export async function listFailingDeliveries(sql: Sql, limit = 200): Promise<FailingDelivery[]> {
	const { rows } = await sql.query<FailingDelivery>(
		`select d.id, d.channel, d.kind, d.status, d.attempts, d.last_error as "lastError",
		        d.next_attempt_at as "nextAttemptAt", d.updated_at as "updatedAt",
		        coalesce(p.full_name, '?') as recipient, coalesce(p.email, '') as "recipientEmail"
		 from public.notification_deliveries d
		 left join public.profiles p on p.id = d.user_id
		 order by d.status = 'failed', d.updated_at desc
		 limit $1`,
		[limit]
	);
	return rows.map((r) => ({ ...r, nextAttemptAt: new Date(r.nextAttemptAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() }));
}
