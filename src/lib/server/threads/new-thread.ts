import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '../db';
import { actorOf, failure, filesOf, text } from './forms';
import { notifyMessage } from './notify';
import { subjectTypes } from './schemas';
import { openThread, readSubject } from './service';

/** The "open a thread on this object" page, shared by staff (/threads/new) and clients (/portal/threads/new). */

const subjectQuery = z.object({ subject: z.enum(subjectTypes), id: z.guid() });

function subjectOf(url: URL) {
	const query = subjectQuery.safeParse({ subject: url.searchParams.get('subject'), id: url.searchParams.get('id') });
	if (!query.success) error(404, m.thread_subject_not_found());
	return query.data;
}

/** The object is read as the person first: one they cannot see is a 404. */
export async function loadNewThread({ locals, url }: Pick<RequestEvent, 'locals' | 'url'>) {
	const { subject: type, id } = subjectOf(url);
	const subject = await locals.db((sql) => readSubject(sql, type, id, getLocale()));
	if (!subject) error(404, m.thread_subject_not_found());
	return { subject };
}

/** Opens the thread with its first message, notifies after the commit, and goes to the thread. */
export async function openFromForm({ locals, request, url }: Pick<RequestEvent, 'locals' | 'request' | 'url'>, threadsPath: string) {
	const { subject: subjectType, id: subjectId } = subjectOf(url);
	const form = await request.formData();
	const values = { title: text(form, 'title') ?? '', body: text(form, 'body') ?? '' };
	let threadId: string;
	try {
		const posted = await locals.db(async (sql) =>
			openThread(sql, actorOf(locals.user), { subjectType, subjectId, ...values, files: await filesOf(form) }, getLocale())
		);
		await notifyMessage(await appPool(), posted, locals.user!.id);
		threadId = posted.threadId;
	} catch (err) {
		return failure(err, values);
	}
	redirect(303, `${threadsPath}/${threadId}`);
}
