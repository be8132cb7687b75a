/**
 * Notification kinds and channels, and who gets what when they chose nothing: pure data and
 * rules, shared by `notify`, the preferences page and the worker.
 */
import type { AppRole } from '../../domain/roles';

export const notificationKinds = [
	'order_created',
	'order_ready',
	'ticket_reply',
	'ticket_mention',
	'import_finished',
	'invoice_issued',
	'invoice_overdue',
	'driver_document_expiring',
	'transfer_status'
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const channels = ['in_app', 'email', 'push', 'sms'] as const;
export type Channel = (typeof channels)[number];
/** Channels delivered by the worker (in-app is the notification row itself). */
export type DeliveryChannel = Exclude<Channel, 'in_app'>;
export const deliveryChannels: readonly DeliveryChannel[] = ['email', 'push', 'sms'];

export type ChannelChoice = Record<Channel, boolean>;
export type Preferences = Record<NotificationKind, ChannelChoice>;

const none: ChannelChoice = { in_app: false, email: false, push: false, sms: false };
const inApp: ChannelChoice = { ...none, in_app: true };
const inAppEmail: ChannelChoice = { ...inApp, email: true };

/**
 * What a role receives by default, kind by kind: the events of its daily work in the app,
 * by email what needs an answer from someone away from a screen (a client's order is ready, a
 * ticket waits for a reply), and by SMS only what reaches drivers on the road. Kinds a role
 * never meets stay off rather than on "just in case".
 */
const byRole: Record<AppRole, Partial<Record<NotificationKind, ChannelChoice>>> = {
	client: { order_ready: inAppEmail, ticket_reply: inAppEmail, invoice_issued: inAppEmail, invoice_overdue: inAppEmail, transfer_status: inApp },
	csm: {
		order_created: inAppEmail,
		order_ready: inApp,
		ticket_reply: inAppEmail,
		ticket_mention: inAppEmail,
		import_finished: inApp,
		invoice_overdue: inApp,
		transfer_status: inApp
	},
	site_manager: {
		order_created: inApp,
		order_ready: inApp,
		ticket_reply: inApp,
		ticket_mention: inAppEmail,
		import_finished: inApp,
		invoice_overdue: inAppEmail,
		driver_document_expiring: inAppEmail,
		transfer_status: inApp
	},
	admin: { ticket_mention: inAppEmail, import_finished: inApp, invoice_overdue: inAppEmail, driver_document_expiring: inAppEmail },
	director: { ticket_mention: inApp, invoice_overdue: inApp, driver_document_expiring: inApp, transfer_status: inApp },
	team_lead: { order_created: inApp, order_ready: inApp, ticket_mention: inApp, import_finished: inApp },
	sales: { ticket_mention: inApp, transfer_status: inAppEmail, order_ready: inApp },
	operator: { ticket_mention: inApp },
	driver: { transfer_status: { ...inApp, sms: true }, driver_document_expiring: { ...inApp, sms: true }, ticket_mention: inApp }
};

/** The channels a role gets for a kind when the person saved no choice of their own. */
export function defaultChoice(role: AppRole, kind: NotificationKind): ChannelChoice {
	return { ...(byRole[role][kind] ?? none) };
}

/** A person's whole matrix: their saved rows over the role's defaults. */
export function resolvePreferences(role: AppRole, saved: Partial<Record<NotificationKind, ChannelChoice>>): Preferences {
	return Object.fromEntries(notificationKinds.map((kind) => [kind, { ...(saved[kind] ?? defaultChoice(role, kind)) }])) as Preferences;
}

/**
 * Delay before the next attempt after `attempts` failed ones: doubling from `baseMs`, capped at
 * `maxMs`, so a provider that is down is not hammered and a blip costs seconds, not hours.
 */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
	return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
