import path from 'node:path';
import type pg from 'pg';
import { env } from '../env';
import { smtpSender } from './email';
import type { ChannelSender } from './jobs';
import type { DeliveryChannel } from './kinds';
import { startDevSmtp, type DevSmtp } from './mailbox';
import { webPushSender } from './push';
import { httpSmsProvider, smsSender } from './sms';
import { createDeliveryWorker } from './worker';

/** Where the development SMTP server drops mail: tests and the e2e read it with `listMail`. */
export const devMailDir = () => path.join(env().DATA_DIR, 'mail');

/**
 * Starts this node's share of notification delivery, from the environment: the channels that
 * are configured, the local SMTP server in development and tests, and the worker.
 */
export async function startNotifications(pool: pg.Pool, log: (line: string) => void = console.log): Promise<{ close(): Promise<void> }> {
	const config = env();
	if (config.NOTIFY_WORKER === 'off') {
		log('[notify] delivery worker off on this node (NOTIFY_WORKER=off)');
		return { close: async () => {} };
	}
	const origin = config.ORIGIN ?? 'http://127.0.0.1:5173';
	const senders: Partial<Record<DeliveryChannel, ChannelSender>> = {};
	const closers: (() => unknown)[] = [];

	let smtpUrl = config.SMTP_URL;
	let devSmtp: DevSmtp | undefined;
	if (!smtpUrl && config.NODE_ENV !== 'production') {
		devSmtp = await startDevSmtp({ dir: devMailDir(), port: config.DEV_SMTP_PORT });
		smtpUrl = devSmtp.url;
		log(`[notify] no SMTP_URL: mail goes to a local SMTP server on port ${devSmtp.port}, saved in ${devMailDir()}`);
	}
	if (smtpUrl) {
		const email = smtpSender({ url: smtpUrl, from: config.MAIL_FROM, origin });
		senders.email = email.send;
		closers.push(email.close);
	} else {
		log('[notify] email disabled: SMTP_URL is not set (emails stay queued until it is)');
	}

	if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY && config.VAPID_SUBJECT) {
		senders.push = webPushSender(
			{ publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject: config.VAPID_SUBJECT },
			pool
		);
	} else {
		log('[notify] web push disabled: VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT are not all set');
	}

	if (config.SMS_PROVIDER_URL) {
		const provider = httpSmsProvider({ url: config.SMS_PROVIDER_URL, key: config.SMS_PROVIDER_KEY, sender: config.SMS_SENDER });
		senders.sms = smsSender(provider, origin);
	} else {
		log('[notify] SMS disabled: SMS_PROVIDER_URL is not set');
	}

	const worker = createDeliveryWorker({ pool, senders, log });
	worker.start();
	return {
		async close() {
			await worker.stop();
			for (const close of closers) close();
			await devSmtp?.close();
		}
	};
}
