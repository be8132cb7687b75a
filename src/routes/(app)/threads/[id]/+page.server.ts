import { error } from '@sveltejs/kit';
import { appPool } from '$lib/server/db';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, failure, filesOf, text } from '$lib/server/threads/forms';
import { notifyMessage } from '$lib/server/threads/notify';
import { threadIdSchema, type UpdateThreadInput } from '$lib/server/threads/schemas';
import { postMessage, threadDetail, updateThread } from '$lib/server/threads/service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:ticket_threads', 'live:ticket_messages', 'live:ticket_attachments', 'live:thread_reads');
	const id = threadIdSchema.safeParse(params.id);
	if (!id.success) error(404, m.thread_not_found());
	const thread = await locals.db((sql) => threadDetail(sql, id.data, getLocale()));
	// Not visible under row-level security and not existing look the same, on purpose.
	if (!thread) error(404, m.thread_not_found());
	return { thread };
};

export const actions: Actions = {
	post: async ({ locals, params, request }) => {
		const form = await request.formData();
		const values = { body: text(form, 'body') ?? '', internal: form.get('internal') === 'on' };
		try {
			const posted = await locals.db(async (sql) =>
				postMessage(
					sql,
					actorOf(locals.user),
					{ threadId: params.id, ...values, mentions: form.getAll('mentions').map(String), files: await filesOf(form) },
					getLocale()
				)
			);
			await notifyMessage(await appPool(), posted, locals.user!.id);
			return { posted: posted.messageId };
		} catch (err) {
			return failure(err, values);
		}
	},
	update: async ({ locals, params, request }) => {
		const form = await request.formData();
		const status = text(form, 'status');
		const assignee = text(form, 'assigneeId');
		try {
			await locals.db((sql) =>
				updateThread(
					sql,
					// Shapes the form; updateThread validates it.
					{
						threadId: params.id,
						...(status ? { status } : {}),
						...(assignee !== undefined ? { assigneeId: assignee === '' ? null : assignee } : {})
					} as UpdateThreadInput,
					getLocale()
				)
			);
			return { updated: true };
		} catch (err) {
			return failure(err);
		}
	}
};
