import nodemailer from 'nodemailer';
import type { DeliveryJob } from './jobs';

/** The recipient's language for the words around the notification (its text is already theirs). */
const words = {
	fr: {
		greeting: (name: string) => `Bonjour ${name},`,
		open: 'Ouvrir dans Relais',
		why: 'Vous recevez cet e-mail selon vos préférences de notification.',
		manage: 'Gérer mes notifications'
	},
	en: {
		greeting: (name: string) => `Hello ${name},`,
		open: 'Open in Relais',
		why: 'You receive this email according to your notification preferences.',
		manage: 'Manage my notifications'
	}
} as const;

const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An app path as an absolute URL of the app itself; anything pointing elsewhere becomes the home page. */
export function appUrl(link: string, origin: string): string {
	const url = new URL(link, origin);
	return url.origin === new URL(origin).origin ? url.href : new URL('/', origin).href;
}

export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

/** A plain, readable email in the recipient's language: the title, the body, one button. */
export function renderEmail(job: Pick<DeliveryJob, 'locale' | 'fullName' | 'title' | 'body' | 'link'>, origin: string): RenderedEmail {
	const w = words[job.locale];
	const url = appUrl(job.link, origin);
	const settings = new URL('/settings/notifications', origin).href;
	const text = [w.greeting(job.fullName), '', job.title, ...(job.body ? ['', job.body] : []), '', `${w.open} : ${url}`, '', '—', w.why, `${w.manage} : ${settings}`].join(
		'\n'
	);
	const html = `<!doctype html>
<html lang="${job.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(job.title)}</title></head>
<body style="margin:0;background:#f1f5f9;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#0f172a">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px">
<tr><td style="padding:20px 24px;border-bottom:1px solid #e2e8f0;font-weight:600;font-size:16px">Relais</td></tr>
<tr><td style="padding:24px">
<p style="margin:0 0 12px;font-size:14px;color:#475569">${escapeHtml(w.greeting(job.fullName))}</p>
<h1 style="margin:0 0 12px;font-size:18px;line-height:1.4">${escapeHtml(job.title)}</h1>
${job.body ? `<p style="margin:0 0 20px;font-size:14px;line-height:1.6;white-space:pre-line">${escapeHtml(job.body)}</p>` : ''}
<a href="${escapeHtml(url)}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;font-size:14px;font-weight:600;padding:10px 16px;border-radius:8px">${escapeHtml(w.open)}</a>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e2e8f0;font-size:12px;color:#64748b">${escapeHtml(w.why)} <a href="${escapeHtml(settings)}" style="color:#2563eb">${escapeHtml(w.manage)}</a></td></tr>
</table></td></tr></table></body></html>`;
	return { subject: job.title, text, html };
}

export interface EmailSender {
	send(job: DeliveryJob): Promise<void>;
	close(): void;
}

/** Sends through an SMTP server (`smtp://` or `smtps://` URL, credentials in the URL). */
export function smtpSender(options: { url: string; from: string; origin: string }): EmailSender {
	const url = new URL(options.url);
	const secure = url.protocol === 'smtps:';
	const transport = nodemailer.createTransport({
		host: url.hostname,
		port: Number(url.port) || (secure ? 465 : 587),
		secure,
		auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
		// Well below the worker's lease, so a hung server never makes two nodes send one mail.
		connectionTimeout: 15_000,
		greetingTimeout: 15_000,
		socketTimeout: 60_000
	});
	return {
		async send(job) {
			const mail = renderEmail(job, options.origin);
			await transport.sendMail({ from: options.from, to: { name: job.fullName, address: job.email }, ...mail });
		},
		close: () => transport.close()
	};
}
