import { z } from 'zod';
import { appUrl } from './email';
import { PermanentDeliveryError, type ChannelSender } from './jobs';

/** What an SMS gateway does for Relais: send one short text to one number. */
export interface SmsProvider {
	send(message: { to: string; text: string }): Promise<{ id: string }>;
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);
const accepted = z.object({ id: z.string().min(1) });

/** '+33 6 12 34 56 78' → '+33612345678'; a national French number gets +33. Null when unusable. */
export function toE164(phone: string): string | null {
	const compact = phone.replace(/[\s.()-]/g, '');
	const international = /^0[1-9]\d{8}$/.test(compact) ? `+33${compact.slice(1)}` : compact.replace(/^00/, '+');
	return e164.safeParse(international).success ? international : null;
}

/**
 * An adapter for a generic HTTP SMS gateway. NOTE: this is a fake of an external SaaS, not a
 * real provider's API: `POST <url>` with `Authorization: Bearer <key>` and JSON
 * `{ from, to, text }`, answered `2xx { id }`. A real provider (Twilio, Vonage, OVH…) gets its
 * own adapter behind the same `SmsProvider` interface. 4xx answers other than 408/429 are
 * permanent (a bad number stays bad); anything else is retried.
 */
export function httpSmsProvider(options: { url: string; key?: string; sender: string; fetch?: typeof fetch }): SmsProvider {
	const doFetch = options.fetch ?? fetch;
	return {
		async send({ to, text }) {
			const number = toE164(to);
			if (!number) throw new PermanentDeliveryError(`invalid phone number ${JSON.stringify(to)}`);
			const response = await doFetch(options.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
				body: JSON.stringify({ from: options.sender, to: number, text }),
				signal: AbortSignal.timeout(15_000)
			});
			const answer = await response.text();
			if (!response.ok) {
				const message = `SMS gateway answered ${response.status}: ${answer.slice(0, 200)}`;
				const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
				throw permanent ? new PermanentDeliveryError(message) : new Error(message);
			}
			const parsed = accepted.safeParse(JSON.parse(answer || 'null'));
			if (!parsed.success) throw new Error(`SMS gateway answered an unexpected body: ${answer.slice(0, 200)}`);
			return parsed.data;
		}
	};
}

/** The SMS text: the title and the link, within one 160-character segment where possible. */
export function smsText(title: string, url: string): string {
	const room = 160 - url.length - 1;
	const head = title.length > room ? `${title.slice(0, Math.max(0, room - 1))}…` : title;
	return `${head} ${url}`;
}

/** The worker's SMS channel: the notification's title and link to the person's phone. */
export function smsSender(provider: SmsProvider, origin: string): ChannelSender {
	return async (job) => {
		if (!job.phone) throw new PermanentDeliveryError('no phone number');
		await provider.send({ to: job.phone, text: smsText(job.title, appUrl(job.link, origin)) });
	};
}
