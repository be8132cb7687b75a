import type pg from 'pg';
import { asService } from '../db/pool';
import { canSee } from './index';
import { backoffMs, type DeliveryChannel } from './kinds';
import { PermanentDeliveryError, type ChannelSender, type DeliveryJob } from './jobs';

export interface WorkerOptions {
	pool: pg.Pool;
	/** Channels this node can send; deliveries of other channels wait in the queue. */
	senders: Partial<Record<DeliveryChannel, ChannelSender>>;
	/** Deliveries claimed per round. */
	batch?: number;
	pollMs?: number;
	maxAttempts?: number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
	/** How long a claim keeps other nodes off a delivery; longer than any send may take. */
	leaseMs?: number;
	log?: (line: string) => void;
}

export interface DeliveryWorker {
	/** Claims due deliveries once and sends them; resolves with how many were claimed. */
	runOnce(): Promise<number>;
	start(): void;
	stop(): Promise<void>;
}

/**
 * The delivery queue's worker. A claim takes due rows with `for update skip locked` and, in
 * the same statement, counts the attempt and pushes `next_attempt_at` past a lease: the rows
 * are free again at once (nothing is locked while mail is sent), yet no other node takes them
 * until the lease runs out, which only happens if this node died mid-send. A success is
 * recorded only by the claim that made it (`attempts` unchanged), so it is recorded once.
 */
export function createDeliveryWorker(options: WorkerOptions): DeliveryWorker {
	const { pool, senders } = options;
	const batch = options.batch ?? 20;
	const pollMs = options.pollMs ?? 2_000;
	const maxAttempts = options.maxAttempts ?? 6;
	const baseMs = options.backoffBaseMs ?? 30_000;
	const maxMs = options.backoffMaxMs ?? 3_600_000;
	const leaseMs = options.leaseMs ?? 300_000;
	const log = options.log ?? console.log;
	const channels = Object.keys(senders) as DeliveryChannel[];

	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<unknown> | undefined;
	let stopped = true;

	async function claim(): Promise<DeliveryJob[]> {
		return asService(pool, async (sql) => {
			const { rows } = await sql.query<DeliveryJob>(
				`with due as (
				   select id from public.notification_deliveries
				   where status = 'queued' and next_attempt_at <= now() and channel = any($1::text[])
				   order by next_attempt_at
				   limit $2
				   for update skip locked
				 ), claimed as (
				   update public.notification_deliveries d
				   set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $3), updated_at = now()
				   from due where d.id = due.id
				   returning d.id, d.channel, d.attempts, d.notification_id, d.user_id
				 )
				 select c.id, c.channel, c.attempts, c.user_id as "userId", p.email, p.full_name as "fullName", p.phone, p.locale,
				        n.title, n.body, coalesce(n.link, '/') as link,
				        case when n.subject_id is null then null else json_build_object('table', n.subject_table, 'id', n.subject_id) end as subject,
				        case when c.channel = 'push' then coalesce((
				          select json_agg(json_build_object('id', s.id, 'endpoint', s.endpoint, 'p256dh', s.p256dh, 'auth', s.auth))
				          from public.push_subscriptions s where s.user_id = c.user_id), '[]') else '[]' end as "pushSubscriptions"
				 from claimed c
				 join public.notifications n on n.id = c.notification_id
				 join public.profiles p on p.id = c.user_id`,
				[channels, batch, leaseMs / 1000]
			);
			return rows;
		});
	}

	/** The recipient may have lost sight of the object since the notification was written. */
	async function stillVisible(job: DeliveryJob): Promise<boolean> {
		if (!job.subject) return true;
		const subject = job.subject;
		return asService(pool, (sql) => canSee(sql, job.userId, job.email, subject));
	}

	async function settle(job: DeliveryJob, outcome: { sent: true } | { sent: false; error: unknown } | { cancelled: string }) {
		let text: string;
		let values: unknown[];
		if ('cancelled' in outcome) {
			text = `update public.notification_deliveries set status = 'cancelled', last_error = $3, updated_at = now()
			        where id = $1 and attempts = $2 and status = 'queued'`;
			values = [job.id, job.attempts, outcome.cancelled];
		} else if (outcome.sent) {
			text = `update public.notification_deliveries set status = 'sent', sent_at = now(), last_error = null, updated_at = now()
			        where id = $1 and attempts = $2 and status = 'queued'`;
			values = [job.id, job.attempts];
		} else {
			const message = (outcome.error instanceof Error ? outcome.error.message : String(outcome.error)).slice(0, 1000);
			const dead = outcome.error instanceof PermanentDeliveryError || job.attempts >= maxAttempts;
			if (dead) log(`[notify] ${job.channel} delivery ${job.id} failed for good after ${job.attempts} attempt(s): ${message}`);
			text = dead
				? `update public.notification_deliveries set status = 'failed', last_error = $3, updated_at = now()
				   where id = $1 and attempts = $2 and status = 'queued'`
				: `update public.notification_deliveries set last_error = $3, updated_at = now(), next_attempt_at = now() + make_interval(secs => $4)
				   where id = $1 and attempts = $2 and status = 'queued'`;
			values = dead ? [job.id, job.attempts, message] : [job.id, job.attempts, message, backoffMs(job.attempts, baseMs, maxMs) / 1000];
		}
		await asService(pool, (sql) => sql.query(text, values));
	}

	async function deliver(job: DeliveryJob): Promise<void> {
		try {
			if (!(await stillVisible(job))) return settle(job, { cancelled: 'the recipient can no longer see this object' });
			await senders[job.channel]!(job);
		} catch (error) {
			return settle(job, { sent: false, error });
		}
		await settle(job, { sent: true });
	}

	async function runOnce(): Promise<number> {
		if (channels.length === 0) return 0;
		const jobs = await claim();
		// One recipient's slow server should not hold the others: the batch goes out together.
		await Promise.all(jobs.map(deliver));
		return jobs.length;
	}

	function schedule(delay: number) {
		if (stopped) return;
		timer = setTimeout(() => {
			running = runOnce()
				.then((claimed) => schedule(claimed === batch ? 0 : pollMs))
				.catch((err) => {
					log(`[notify] delivery round failed: ${(err as Error).message}`);
					schedule(pollMs);
				});
		}, delay);
	}

	return {
		runOnce,
		start() {
			if (!stopped || channels.length === 0) return;
			stopped = false;
			schedule(0);
		},
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}
