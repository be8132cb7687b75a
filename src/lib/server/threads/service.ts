import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Sql } from '../db/pool';
import { storage, type Storage } from '../storage';
import { validate, type FieldErrors } from '../../validation';
import {
	inboxFilterSchema,
	openThreadSchema,
	postMessageSchema,
	updateThreadSchema,
	type InboxFilter,
	type OpenThreadInput,
	type PostMessageInput,
	type SubjectType,
	type ThreadStatus,
	type UpdateThreadInput,
	type UploadedFile
} from './schemas';

/**
 * Ticket threads, run as the signed-in person inside the caller's transaction (`locals.db` or
 * `withUser`): row-level security decides what is read and written, this module only shapes it.
 * Expected refusals are `ThreadError`s carrying an HTTP status; anything else is a bug.
 */

export type Locale = 'fr' | 'en';

export class ThreadError extends Error {
	constructor(
		readonly status: 400 | 403 | 404,
		readonly code: 'invalid' | 'forbidden' | 'not_found',
		readonly errors: FieldErrors = {}
	) {
		super(code);
	}
}

/** Who acts: `staff` is true for anyone with a (non-driver) membership. */
export interface Actor {
	id: string;
	staff: boolean;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new ThreadError(400, 'invalid', result.errors);
	return result.data;
}

/** Row-level security refusals and foreign-key misses are the caller's fault, not the server's. */
function refused(err: unknown): never {
	const code = (err as { code?: string }).code;
	if (code === '42501') throw new ThreadError(403, 'forbidden');
	if (code === '23503' || code === '22P02') throw new ThreadError(404, 'not_found');
	throw err;
}

// ─── subjects ──────────────────────────────────────────────────────────────────────────────

export interface Subject {
	type: SubjectType;
	id: string;
	siteId: string;
	clientAccountId: string | null;
	/** What the thread is about, in a few words ("Lavage · AB-123-CD"). */
	label: string;
	/** The order the subject belongs to, for links (staff /orders/…, clients /portal/orders/…). */
	orderId: string | null;
}

/** Reads the subject as the person: one they cannot see does not exist for them. */
export async function readSubject(sql: Sql, type: SubjectType, id: string, locale: Locale): Promise<Subject | null> {
	const name = locale === 'en' ? 'sv.name_en' : 'sv.name_fr';
	const queries: Record<SubjectType, string> = {
		task: `select t.site_id, t.client_account_id, t.order_id, ${name} || ' · ' || coalesce(v.plate, v.vin) as label
		       from public.tasks t join public.services sv on sv.id = t.service_id join public.vehicles v on v.id = t.vehicle_id
		       where t.id = $1`,
		order: `select o.site_id, o.client_account_id, o.id as order_id, o.reference as label from public.orders o where o.id = $1`,
		vehicle: `select v.site_id, v.client_account_id, null::uuid as order_id,
		                 coalesce(v.plate, v.vin) || ' · ' || v.make || ' ' || v.model as label
		          from public.vehicles v where v.id = $1`,
		transfer: `select tr.from_site_id as site_id, tr.client_account_id, null::uuid as order_id, coalesce(v.plate, v.vin) as label
		           from public.transfers tr join public.vehicles v on v.id = tr.vehicle_id where tr.id = $1`,
		// Clients read lines of their issued invoices only, so a draft's line is no subject for them.
		invoice_line: `select l.site_id, l.client_account_id, null::uuid as order_id,
		                      coalesce(i.number, '—') || ' · ' || l.description || coalesce(' · ' || split_part(l.detail, ' · ', 1), '') as label
		               from public.invoice_lines l join public.invoices i on i.id = l.invoice_id where l.id = $1`
	};
	const { rows } = await sql.query(queries[type], [id]);
	const r = rows[0];
	return r ? { type, id, siteId: r.site_id, clientAccountId: r.client_account_id, label: r.label, orderId: r.order_id } : null;
}

// ─── writing ───────────────────────────────────────────────────────────────────────────────

export interface PostedMessage {
	threadId: string;
	messageId: string;
	siteId: string;
	clientAccountId: string | null;
	title: string;
	internal: boolean;
	byStaff: boolean;
	assigneeId: string | null;
	/** Mentioned staff, kept only when they work at the thread's site. */
	mentions: string[];
	body: string;
}

async function attach(sql: Sql, files: UploadedFile[], message: { id: string; threadId: string; siteId: string; clientAccountId: string | null; internal: boolean }, store: Storage) {
	for (const file of files) {
		if (file.bytes.byteLength !== file.size) throw new ThreadError(400, 'invalid', { files: ['size'] });
		const key = `threads/${message.threadId}/${randomUUID()}`;
		await sql.query(
			`insert into public.ticket_attachments (message_id, thread_id, site_id, client_account_id, internal, storage_key, file_name, mime_type, size_bytes)
			 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			[message.id, message.threadId, message.siteId, message.clientAccountId, message.internal, key, file.name, file.type, file.size]
		);
		// Written before the transaction commits: a failed upload leaves no row behind. A commit
		// failing afterwards leaves unreferenced bytes, which nothing can ever serve.
		await store.put(key, file.bytes, file.type);
	}
}

async function insertMessage(
	sql: Sql,
	actor: Actor,
	thread: { id: string; siteId: string; clientAccountId: string | null; title: string; assigneeId: string | null },
	input: { body: string; internal: boolean; mentions: string[]; files: UploadedFile[] },
	store: Storage
): Promise<PostedMessage> {
	if (input.internal && !actor.staff) throw new ThreadError(403, 'forbidden', { internal: ['staff_only'] });
	const { rows } = await sql
		.query<{ id: string; by_staff: boolean }>(
			`insert into public.ticket_messages (thread_id, site_id, client_account_id, body, internal) values ($1, $2, $3, $4, $5) returning id, by_staff`,
			[thread.id, thread.siteId, thread.clientAccountId, input.body, input.internal]
		)
		.catch(refused);
	const message = rows[0];
	await attach(sql, input.files, { id: message.id, threadId: thread.id, siteId: thread.siteId, clientAccountId: thread.clientAccountId, internal: input.internal }, store).catch(
		refused
	);
	// Writing counts as reading up to one's own message.
	await markRead(sql, thread.id);
	const mentions = input.mentions.length
		? (await sql.query<{ id: string }>(`select id from private.thread_staff($1) where id = any($2::uuid[])`, [thread.id, input.mentions])).rows.map((r) => r.id)
		: [];
	return {
		threadId: thread.id,
		messageId: message.id,
		siteId: thread.siteId,
		clientAccountId: thread.clientAccountId,
		title: thread.title,
		internal: input.internal,
		byStaff: message.by_staff,
		assigneeId: thread.assigneeId,
		mentions,
		body: input.body
	};
}

/** Opens a thread on an object the person can see, with its first message. */
export async function openThread(sql: Sql, actor: Actor, input: OpenThreadInput, locale: Locale, store: Storage = storage()): Promise<PostedMessage> {
	const data = parse(openThreadSchema, input, locale);
	const subject = await readSubject(sql, data.subjectType, data.subjectId, locale);
	if (!subject) throw new ThreadError(404, 'not_found', { subjectId: ['not_found'] });
	const { rows } = await sql
		.query<{ id: string }>(
			`insert into public.ticket_threads (site_id, client_account_id, subject_type, subject_id, title) values ($1, $2, $3, $4, $5) returning id`,
			[subject.siteId, subject.clientAccountId, subject.type, subject.id, data.title]
		)
		.catch(refused);
	const thread = { id: rows[0].id, siteId: subject.siteId, clientAccountId: subject.clientAccountId, title: data.title, assigneeId: null };
	return insertMessage(sql, actor, thread, { body: data.body, internal: false, mentions: [], files: data.files }, store);
}

/** Posts a public message or (staff only) an internal note; a client's reply reopens the thread. */
export async function postMessage(sql: Sql, actor: Actor, input: PostMessageInput, locale: Locale, store: Storage = storage()): Promise<PostedMessage> {
	const data = parse(postMessageSchema, input, locale);
	const { rows } = await sql.query(
		`select id, site_id, client_account_id, title, assignee_id from public.ticket_threads where id = $1`,
		[data.threadId]
	);
	const t = rows[0];
	if (!t) throw new ThreadError(404, 'not_found');
	return insertMessage(
		sql,
		actor,
		{ id: t.id, siteId: t.site_id, clientAccountId: t.client_account_id, title: t.title, assigneeId: t.assignee_id },
		data,
		store
	);
}

/** Changes status and/or assignee (staff: clients have no update right on threads). */
export async function updateThread(sql: Sql, input: UpdateThreadInput, locale: Locale): Promise<void> {
	const data = parse(updateThreadSchema, input, locale);
	if (data.assigneeId) {
		const { rowCount } = await sql.query(`select 1 from private.thread_staff($1) where id = $2`, [data.threadId, data.assigneeId]);
		if (!rowCount) throw new ThreadError(400, 'invalid', { assigneeId: ['not_staff'] });
	}
	const { rowCount } = await sql
		.query(
			`update public.ticket_threads
			    set status = coalesce($2::public.thread_status, status),
			        assignee_id = case when $3 then $4::uuid else assignee_id end
			  where id = $1`,
			[data.threadId, data.status ?? null, data.assigneeId !== undefined, data.assigneeId ?? null]
		)
		.catch(refused);
	if (!rowCount) throw new ThreadError(404, 'not_found');
}

/**
 * Records that the person has read the thread up to now (a receipt others see live). Only when
 * something new arrived since their last reading: a receipt reloads the other screens of the
 * thread, which read it in turn, and an unconditional write would ping-pong between them.
 */
export async function markRead(sql: Sql, threadId: string): Promise<void> {
	await sql.query(
		`insert into public.thread_reads (thread_id, site_id, client_account_id)
		 select t.id, t.site_id, t.client_account_id from public.ticket_threads t where t.id = $1
		 on conflict (thread_id, user_id) do update set last_read_at = excluded.last_read_at
		 where public.thread_reads.last_read_at < (select max(m.created_at) from public.ticket_messages m where m.thread_id = $1)`,
		[threadId]
	);
}

// ─── reading ───────────────────────────────────────────────────────────────────────────────

export interface ThreadSummary {
	id: string;
	title: string;
	status: ThreadStatus;
	subjectType: SubjectType;
	subjectId: string;
	siteId: string;
	siteCode: string;
	clientAccountId: string | null;
	clientName: string | null;
	assigneeId: string | null;
	assigneeName: string | null;
	lastMessageAt: string;
	awaitingSince: string | null;
	overdue: boolean;
	unread: number;
}

// Unread: messages the person may read, by someone else, after their last reading.
const summaryColumns = `
	t.id, t.title, t.status, t.subject_type as "subjectType", t.subject_id as "subjectId", t.site_id as "siteId",
	s.code as "siteCode", t.client_account_id as "clientAccountId", ca.name as "clientName",
	t.assignee_id as "assigneeId", ap.full_name as "assigneeName",
	t.last_message_at as "lastMessageAt", t.awaiting_since as "awaitingSince",
	(t.status <> 'resolved' and t.awaiting_since < now() - make_interval(mins => o.response_target_minutes)) as overdue,
	(select count(*)::int from public.ticket_messages m
	  where m.thread_id = t.id and m.author_id <> (select auth.uid())
	    and m.created_at > coalesce((select r.last_read_at from public.thread_reads r where r.thread_id = t.id and r.user_id = (select auth.uid())), '-infinity')
	) as unread`;
const summaryFrom = `
	from public.ticket_threads t
	join public.sites s on s.id = t.site_id
	join public.organisations o on o.id = s.organisation_id
	left join public.client_accounts ca on ca.id = t.client_account_id
	left join public.profiles ap on ap.id = t.assignee_id`;

/** The inbox: threads the person can read, filtered, overdue and most recent first. */
export async function listThreads(sql: Sql, filter: InboxFilter, locale: Locale, limit = 200): Promise<ThreadSummary[]> {
	const f = parse(inboxFilterSchema, filter, locale);
	const where: string[] = [];
	const values: unknown[] = [];
	const param = (v: unknown) => `$${values.push(v)}`;
	if (f.siteId) where.push(`t.site_id = ${param(f.siteId)}`);
	if (f.status === 'active') where.push(`t.status <> 'resolved'`);
	else if (f.status !== 'all') where.push(`t.status = ${param(f.status)}`);
	if (f.assignee === 'me') where.push(`t.assignee_id = (select auth.uid())`);
	else if (f.assignee === 'none') where.push(`t.assignee_id is null`);
	else if (f.assignee) where.push(`t.assignee_id = ${param(f.assignee)}`);
	if (f.clientAccountId) where.push(`t.client_account_id = ${param(f.clientAccountId)}`);
	if (f.overdue) where.push(`t.status <> 'resolved' and t.awaiting_since < now() - make_interval(mins => o.response_target_minutes)`);
	const { rows } = await sql.query<ThreadSummary>(
		`select ${summaryColumns} ${summaryFrom}
		 where ${where.length ? where.join(' and ') : 'true'}
		 order by overdue desc, t.last_message_at desc
		 limit ${param(limit)}`,
		values
	);
	return rows;
}

/** Threads on some objects (the task lines of an order), for counts and links. */
export async function threadsOn(sql: Sql, subjectType: SubjectType, subjectIds: string[]): Promise<ThreadSummary[]> {
	if (!subjectIds.length) return [];
	const { rows } = await sql.query<ThreadSummary>(
		`select ${summaryColumns} ${summaryFrom}
		 where t.subject_type = $1 and t.subject_id = any($2::uuid[])
		 order by t.last_message_at desc`,
		[subjectType, subjectIds]
	);
	return rows;
}

export interface ThreadAttachment {
	id: string;
	fileName: string;
	mimeType: string;
	sizeBytes: number;
}

export interface ThreadMessage {
	id: string;
	authorId: string;
	/** Null when the reader may not look the author up (a client reading staff names). */
	authorName: string | null;
	byStaff: boolean;
	body: string;
	internal: boolean;
	createdAt: string;
	attachments: ThreadAttachment[];
}

export interface ThreadReader {
	userId: string;
	name: string | null;
	byStaff: boolean;
	lastReadAt: string;
}

export interface ThreadDetail extends ThreadSummary {
	subject: Subject | null;
	messages: ThreadMessage[];
	readers: ThreadReader[];
	/** Staff of the thread's site (assignees, @mentions); empty for clients. */
	staff: { id: string; fullName: string }[];
	responseTargetMinutes: number;
}

/** A thread with what the person may read of it; null when they may not read it at all. */
export async function threadDetail(sql: Sql, threadId: string, locale: Locale): Promise<ThreadDetail | null> {
	const { rows } = await sql.query<ThreadSummary & { responseTargetMinutes: number }>(
		`select ${summaryColumns}, o.response_target_minutes as "responseTargetMinutes" ${summaryFrom} where t.id = $1`,
		[threadId]
	);
	const thread = rows[0];
	if (!thread) return null;
	// One after the other: a transaction's connection runs one query at a time anyway.
	const subject = await readSubject(sql, thread.subjectType, thread.subjectId, locale);
	const messages = await sql.query<Omit<ThreadMessage, 'attachments'>>(
		`select m.id, m.author_id as "authorId", p.full_name as "authorName", m.by_staff as "byStaff", m.body, m.internal,
		        m.created_at as "createdAt"
		 from public.ticket_messages m left join public.profiles p on p.id = m.author_id
		 where m.thread_id = $1 order by m.created_at, m.id`,
		[threadId]
	);
	const attachments = await sql.query<ThreadAttachment & { messageId: string }>(
		`select id, message_id as "messageId", file_name as "fileName", mime_type as "mimeType", size_bytes as "sizeBytes"
		 from public.ticket_attachments where thread_id = $1 order by created_at, file_name`,
		[threadId]
	);
	const staff = await sql.query<{ id: string; fullName: string }>(`select id, full_name as "fullName" from private.thread_staff($1) order by full_name`, [
		threadId
	]);
	// A reader is a client when they belong to the thread's account (both sides may read that).
	const readers = await sql.query<ThreadReader>(
		`select r.user_id as "userId", p.full_name as name, r.last_read_at as "lastReadAt",
		        not exists (select 1 from public.client_members cm where cm.user_id = r.user_id and cm.client_account_id = r.client_account_id) as "byStaff"
		 from public.thread_reads r left join public.profiles p on p.id = r.user_id
		 where r.thread_id = $1 and r.user_id <> (select auth.uid())
		 order by r.last_read_at desc`,
		[threadId]
	);
	const byMessage = new Map<string, ThreadAttachment[]>();
	for (const { messageId, ...a } of attachments.rows) byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), a]);
	return {
		...thread,
		subject,
		messages: messages.rows.map((m) => ({ ...m, attachments: byMessage.get(m.id) ?? [] })),
		readers: readers.rows,
		staff: staff.rows
	};
}

/** An attachment the person may read (RLS), with where its bytes are; null otherwise. */
export async function readableAttachment(sql: Sql, attachmentId: string): Promise<{ key: string; fileName: string; mimeType: string } | null> {
	const { rows } = await sql.query(`select storage_key, file_name, mime_type from public.ticket_attachments where id = $1`, [attachmentId]);
	return rows[0] ? { key: rows[0].storage_key, fileName: rows[0].file_name, mimeType: rows[0].mime_type } : null;
}
