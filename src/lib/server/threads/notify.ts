import type pg from 'pg';
import { asService } from '../db/pool';
import { notify, type NotificationEvent } from '../notify';
import type { PostedMessage } from './service';

const SNIPPET = 200;
const snippet = (body: string) => (body.length > SNIPPET ? `${body.slice(0, SNIPPET - 1)}…` : body);

/**
 * Who hears about a message, read after it committed (system work: the writer may not read the
 * memberships it needs). A staff public reply goes to the account's client users; a client's
 * message to the assignee, else the site's CSMs. @mentions go to the staff named. An internal
 * note reaches staff only, and its text goes nowhere.
 */
export async function recipientsOf(pool: pg.Pool, posted: PostedMessage, authorId: string): Promise<{ clients: string[]; staff: string[]; mentioned: string[] }> {
	const others = (ids: string[]) => [...new Set(ids)].filter((id) => id !== authorId);
	const mentioned = others(posted.mentions);
	if (posted.internal) return { clients: [], staff: [], mentioned };
	return asService(pool, async (sql) => {
		if (posted.byStaff) {
			if (!posted.clientAccountId) return { clients: [], staff: [], mentioned };
			const { rows } = await sql.query<{ user_id: string }>(`select user_id from public.client_members where client_account_id = $1`, [
				posted.clientAccountId
			]);
			return { clients: others(rows.map((r) => r.user_id)), staff: [], mentioned };
		}
		if (posted.assigneeId) return { clients: [], staff: others([posted.assigneeId]), mentioned };
		const { rows } = await sql.query<{ user_id: string }>(
			`select distinct m.user_id from public.memberships m
			 join public.sites s on s.organisation_id = m.organisation_id and (m.site_id is null or m.site_id = s.id)
			 where s.id = $1 and m.role = 'csm'`,
			[posted.siteId]
		);
		return { clients: [], staff: others(rows.map((r) => r.user_id)), mentioned };
	});
}

/** Sends the notifications of a committed message. Never throws: the message is already sent. */
export async function notifyMessage(pool: pg.Pool, posted: PostedMessage, authorId: string, log: (line: string) => void = console.error): Promise<void> {
	try {
		const { clients, staff, mentioned } = await recipientsOf(pool, posted, authorId);
		const subject = { table: 'ticket_threads' as const, id: posted.threadId };
		const body = posted.internal ? undefined : { fr: snippet(posted.body), en: snippet(posted.body) };
		const reply = (recipients: string[], link: string): NotificationEvent => ({
			kind: 'ticket_reply',
			recipients,
			subject,
			title: { fr: `Nouveau message : ${posted.title}`, en: `New message: ${posted.title}` },
			body,
			link
		});
		const events: NotificationEvent[] = [];
		if (clients.length) events.push(reply(clients, `/portal/threads/${posted.threadId}`));
		const staffOnly = staff.filter((id) => !mentioned.includes(id));
		if (staffOnly.length) events.push(reply(staffOnly, `/threads/${posted.threadId}`));
		if (mentioned.length)
			events.push({
				kind: 'ticket_mention',
				recipients: mentioned,
				subject,
				title: { fr: `Vous êtes mentionné·e : ${posted.title}`, en: `You were mentioned: ${posted.title}` },
				body,
				link: `/threads/${posted.threadId}`
			});
		for (const event of events) await notify(pool, event);
	} catch (err) {
		log(`[threads] notifying message ${posted.messageId} failed: ${(err as Error).message}`);
	}
}
