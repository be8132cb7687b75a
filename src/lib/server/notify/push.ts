import type pg from 'pg';
import webpush from 'web-push';
import { asService } from '../db/pool';
import { PermanentDeliveryError, type ChannelSender } from './jobs';

export interface VapidKeys {
	publicKey: string;
	privateKey: string;
	subject: string;
}

/**
 * Sends the notification to every browser the person subscribed, and forgets the ones their
 * push service says are gone (unsubscribed, expired). Succeeds when one browser took it;
 * throws (to retry) when a push service failed otherwise.
 */
export function webPushSender(keys: VapidKeys, pool: pg.Pool): ChannelSender {
	const options = { vapidDetails: keys, TTL: 24 * 3600, timeout: 15_000 };
	return async (job) => {
		if (job.pushSubscriptions.length === 0) throw new PermanentDeliveryError('no browser subscribed to push');
		const payload = JSON.stringify({ title: job.title, body: job.body ?? '', link: job.link });
		const gone: string[] = [];
		const errors: string[] = [];
		for (const s of job.pushSubscriptions) {
			try {
				await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, options);
			} catch (err) {
				const status = (err as { statusCode?: number }).statusCode;
				if (status === 404 || status === 410) gone.push(s.id);
				else errors.push(`${status ?? ''} ${(err as Error).message}`.trim());
			}
		}
		if (gone.length > 0) await asService(pool, (sql) => sql.query('delete from public.push_subscriptions where id = any($1::uuid[])', [gone]));
		const delivered = job.pushSubscriptions.length - gone.length - errors.length;
		if (delivered > 0) return;
		if (errors.length > 0) throw new Error(errors.join('; '));
		throw new PermanentDeliveryError('every subscribed browser is gone');
	};
}
