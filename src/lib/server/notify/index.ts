// Only relative imports in src/lib/server/notify: the delivery worker runs inside the realtime
// bundle (server.js), outside SvelteKit, where $lib does not exist.
import type pg from 'pg';
import { z } from 'zod';
import { primaryRole, type AppRole, type RoleGrant } from '../../domain/roles';
import type { JwtClaims } from '../db/pool';
import { notificationKinds, resolvePreferences, type ChannelChoice, type DeliveryChannel, type NotificationKind } from './kinds';

export { notificationKinds, type NotificationKind } from './kinds';

// A driver's compliance document is readable by the organisation's managers and the driver
// themself (its RLS), so the generic visibility check below holds for it too.
const subjectTables = ['orders', 'ticket_threads', 'transfers', 'vehicles', 'tasks', 'invoices', 'driver_documents'] as const;

export interface NotificationEvent {
	kind: NotificationKind;
	recipients: string[]; // profile ids
	subject: { table: (typeof subjectTables)[number]; id: string };
	title: { fr: string; en: string };
	body?: { fr: string; en: string };
	link: string; // app path, e.g. /threads/<id>
}

const text = (max: number) => z.object({ fr: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
const eventSchema = z.object({
	kind: z.enum(notificationKinds),
	recipients: z.array(z.guid()).max(10_000),
	subject: z.object({ table: z.enum(subjectTables), id: z.guid() }),
	title: text(200),
	body: text(2000).optional(),
	// An app path, never an absolute URL: emails prefix it with the app's own origin.
	link: z.string().regex(/^\/(?![/\\])[^\s\\]*$/).max(500)
});

/** The claims the app puts in a session token, enough for the policies (auth.uid()). */
function claimsOf(userId: string, email?: string): JwtClaims {
	return { sub: userId, role: 'authenticated', aud: 'authenticated', ...(email ? { email } : {}) };
}

/** Makes the rest of the transaction run as `userId` under row-level security. */
async function actAsUser(sql: pg.ClientBase, userId: string, email?: string): Promise<void> {
	await sql.query(
		`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true)`,
		[JSON.stringify(claimsOf(userId, email)), userId]
	);
}

/** Back to the service role, with nobody signed in. */
async function actAsService(sql: pg.ClientBase): Promise<void> {
	await sql.query(
		`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.sub', '', true)`
	);
}

/** Can `userId` select the row under their own row-level security? (Inside a transaction.) */
export async function canSee(sql: pg.ClientBase, userId: string, email: string, subject: NotificationEvent['subject']): Promise<boolean> {
	await actAsUser(sql, userId, email);
	// The table name comes from the closed list of eventSchema / the notifications check constraint.
	const { rows } = await sql.query<{ visible: boolean }>(`select exists (select 1 from public.${subject.table} where id = $1) as visible`, [
		subject.id
	]);
	return rows[0].visible;
}

interface Recipient {
	id: string;
	email: string;
	locale: 'fr' | 'en';
	phone: string | null;
	roles: RoleGrant[];
	saved: ChannelChoice | null;
	has_push: boolean;
}

/**
 * Called after the triggering transaction committed. Keeps only recipients who can select the
 * subject row under their own RLS and whose preferences allow the kind; writes the in-app
 * notification and queues the other channels, in one transaction.
 */
export async function notify(pool: pg.Pool, event: NotificationEvent): Promise<{ notified: string[] }> {
	const sql = await pool.connect();
	try {
		await sql.query('begin');
		const result = await notifyWithin(sql, event);
		await sql.query('commit');
		return result;
	} catch (err) {
		await sql.query('rollback').catch(() => {});
		throw err;
	} finally {
		sql.release();
	}
}

/**
 * `notify` inside the caller's open transaction, for a job whose own bookkeeping must commit
 * with the notifications it caused (or neither). Leaves the transaction as the service role.
 */
export async function notifyWithin(sql: pg.ClientBase, event: NotificationEvent): Promise<{ notified: string[] }> {
	const e = eventSchema.parse(event);
	const ids = [...new Set(e.recipients)];
	if (ids.length === 0) return { notified: [] };
	await actAsService(sql);
	const { rows: people } = await sql.query<Recipient>(
		`select p.id, p.email, p.locale, p.phone,
		        coalesce((select json_agg(json_build_object('siteId', m.site_id, 'role', m.role)) from public.memberships m where m.user_id = p.id), '[]') as roles,
		        (select json_build_object('in_app', np.in_app, 'email', np.email, 'push', np.push, 'sms', np.sms)
		           from public.notification_preferences np where np.user_id = p.id and np.kind = $2) as saved,
		        exists (select 1 from public.push_subscriptions ps where ps.user_id = p.id) as has_push
		 from public.profiles p where p.id = any($1::uuid[])`,
		[ids, e.kind]
	);
	// Each recipient looks at the subject as themselves: a user is never notified about an
	// object they cannot see, whoever the caller thought should hear of it.
	const visible: Recipient[] = [];
	for (const person of people) if (await canSee(sql, person.id, person.email, e.subject)) visible.push(person);
	await actAsService(sql);

	const notified: string[] = [];
	for (const person of visible) {
		const role: AppRole = primaryRole(person.roles);
		const choice = person.saved ?? resolvePreferences(role, {})[e.kind];
		const queued: DeliveryChannel[] = [];
		if (choice.email) queued.push('email');
		// Push needs a browser that subscribed, SMS a phone number: otherwise nothing to queue.
		if (choice.push && person.has_push) queued.push('push');
		if (choice.sms && person.phone) queued.push('sms');
		if (!choice.in_app && queued.length === 0) continue;
		const { rows } = await sql.query<{ id: string }>(
			`insert into public.notifications (user_id, kind, title, body, link, subject_table, subject_id, in_app)
			 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
			[person.id, e.kind, e.title[person.locale], e.body?.[person.locale] ?? null, e.link, e.subject.table, e.subject.id, choice.in_app]
		);
		if (queued.length > 0) {
			await sql.query(
				`insert into public.notification_deliveries (notification_id, channel) select $1, unnest($2::text[])`,
				[rows[0].id, queued]
			);
		}
		notified.push(person.id);
	}
	return { notified };
}
