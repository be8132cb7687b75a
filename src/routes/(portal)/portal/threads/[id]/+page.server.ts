import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { actorOf, failure, filesOf, text } from '$lib/server/threads/forms';
import { notifyMessage } from '$lib/server/threads/notify';
import { threadIdSchema } from '$lib/server/threads/schemas';
import { postMessage, threadDetail } from '$lib/server/threads/service';
import type { Actions, PageServerLoad } from './$types';

/**
 * A client's thread. Internal notes are not selectable by a client (RLS), so they are absent
 * from the data before anything here runs.
 */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:ticket_threads', 'live:ticket_messages', 'live:ticket_attachments', 'live:thread_reads');
	const id = threadIdSchema.safeParse(params.id);
	if (!id.success) error(404, m.thread_not_found());
	const thread = await locals.db((sql) => threadDetail(sql, id.data, getLocale()));
	if (!thread) error(404, m.thread_not_found());
	// Only what a client screen shows: no staff list, no assignee, no staff names.
	return {
		viewerId: locals.user!.id,
		thread: {
			id: thread.id,
			title: thread.title,
			status: thread.status,
			subjectType: thread.subjectType,
			subject: thread.subject && { label: thread.subject.label, orderId: thread.subject.orderId },
			messages: thread.messages.map((msg) => ({ ...msg, authorName: msg.byStaff ? null : msg.authorName })),
			// Whether the staff saw it is what matters to a client, not who did.
			readers: thread.readers.map((r) => ({ ...r, name: r.byStaff ? null : r.name }))
		}
	};
};

export const actions: Actions = {
	post: async ({ locals, params, request }) => {
		const form = await request.formData();
		const values = { body: text(form, 'body') ?? '' };
		try {
			const posted = await locals.db(async (sql) =>
				postMessage(sql, actorOf(locals.user), { threadId: params.id, ...values, files: await filesOf(form) }, getLocale())
			);
			await notifyMessage(await appPool(), posted, locals.user!.id);
			return { posted: posted.messageId };
		} catch (err) {
			return failure(err, values);
		}
	}
};
