import { z } from 'zod';
import type { AppRole } from '../../domain/roles';
import type { Sql } from '../db/pool';
import { channels, notificationKinds, resolvePreferences, type ChannelChoice, type NotificationKind, type Preferences } from './kinds';

/** The person's matrix as they see it: what they saved, else their role's defaults. Run as them. */
export async function loadPreferences(sql: Sql, role: AppRole): Promise<Preferences> {
	const { rows } = await sql.query<ChannelChoice & { kind: NotificationKind }>(
		`select kind, in_app, email, push, sms from public.notification_preferences where user_id = auth.uid()`
	);
	return resolvePreferences(role, Object.fromEntries(rows.map(({ kind, ...choice }) => [kind, choice])));
}

const choice = z.object({ in_app: z.boolean(), email: z.boolean(), push: z.boolean(), sms: z.boolean() });
/** The whole matrix as the form posts it: every kind, every channel. */
export const preferencesForm = z.record(z.enum(notificationKinds), choice);
/** Only `kinds` of the matrix (the portal's): the other kinds are neither read nor saved. */
export const preferencesFormFor = <K extends NotificationKind>(kinds: readonly K[]) =>
	z.object(Object.fromEntries(kinds.map((k) => [k, choice])) as Record<K, typeof choice>);

/** Reads the posted checkboxes into the shape `preferencesForm` validates; unknown names are ignored. */
export function readPreferencesForm(form: FormData): Record<string, Record<string, boolean>> {
	const ticked = new Set([...form.keys()]);
	return Object.fromEntries(notificationKinds.map((kind) => [kind, Object.fromEntries(channels.map((c) => [c, ticked.has(`${kind}.${c}`)]))]));
}

/** Saves the kinds given (all of them on the staff page, a client's few on the portal) in the caller's transaction, as the person. */
export async function savePreferences(sql: Sql, prefs: Partial<Preferences>): Promise<void> {
	const kinds = notificationKinds.filter((k) => prefs[k]);
	await sql.query(
		`insert into public.notification_preferences (kind, in_app, email, push, sms)
		 select * from unnest($1::text[], $2::boolean[], $3::boolean[], $4::boolean[], $5::boolean[])
		 on conflict (user_id, kind) do update
		 set in_app = excluded.in_app, email = excluded.email, push = excluded.push, sms = excluded.sms, updated_at = now()`,
		[kinds, ...channels.map((c) => kinds.map((k) => prefs[k]![c]))]
	);
}

/** A browser's push subscription as `PushSubscription.toJSON()` gives it. */
export const pushSubscriptionInput = z.object({
	endpoint: z.url({ protocol: /^https$/ }).max(2000),
	p256dh: z.string().min(1).max(200),
	auth: z.string().min(1).max(100)
});

/** Records this browser for the person, taking its endpoint over from whoever subscribed it before. Run as them. */
export async function subscribePush(sql: Sql, input: z.output<typeof pushSubscriptionInput>): Promise<void> {
	await sql.query('select private.take_push_endpoint($1)', [input.endpoint]);
	await sql.query(
		`insert into public.push_subscriptions (endpoint, p256dh, auth) values ($1, $2, $3)
		 on conflict (endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth`,
		[input.endpoint, input.p256dh, input.auth]
	);
}
