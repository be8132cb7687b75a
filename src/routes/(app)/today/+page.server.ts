import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { validate } from '$lib/validation';
import { holdsRoleAt, type AppRole } from '$lib/domain/roles';
import { appPool } from '$lib/server/db';
import { notifyOrderReady } from '$lib/server/notify/events';
import { once } from '$lib/server/offline/receipts';
import { orderMadeReady } from '$lib/server/orders/ready';
import { YardError } from '$lib/server/yard/errors';
import { flagTask } from '$lib/server/yard/flag';
import { moveTask, siteToday, todayCounters, todayTasks, type Transition } from './tasks.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Roles that work tasks with their hands; others read the page (RLS has the final word). */
const HANDS_ON: AppRole[] = ['operator', 'team_lead', 'site_manager', 'admin'];

export const load: PageServerLoad = async ({ locals, parent, depends }) => {
	depends('live:tasks', 'live:vehicles');
	const { currentSite } = await parent();
	if (!currentSite) return { site: null, today: null, counters: null, tasks: [], canAct: false };

	const user = locals.user!;
	const canAct = holdsRoleAt(user.roles, currentSite.id, HANDS_ON);
	const { today, counters, tasks } = await locals.db(async (sql) => ({
		today: await siteToday(sql, currentSite.id),
		counters: await todayCounters(sql, currentSite.id),
		tasks: await todayTasks(sql, currentSite.id, getLocale())
	}));
	return { site: currentSite, today, counters, tasks, canAct };
};

// z.guid(), not z.uuid(): ids derived from md5 (the demo data) are not RFC 4122 versioned.
// The key is set by the phone's offline queue (src/lib/offline), so a replay acts once.
const taskForm = z.object({ taskId: z.guid(), idempotencyKey: z.guid().optional() });

async function move({ request, locals }: RequestEvent, transition: Transition) {
	const parsed = validate(taskForm, Object.fromEntries(await request.formData()), getLocale());
	if (!parsed.ok) return fail(400, { errors: parsed.errors });
	const { taskId, idempotencyKey } = parsed.data;

	let outcome, readyOrder, replayed;
	try {
		({
			replayed,
			result: { outcome, readyOrder }
		} = await locals.db((sql) =>
			once(sql, idempotencyKey, `task.${transition}`, async () => {
				const moved = await moveTask(sql, taskId, transition);
				return { outcome: moved, readyOrder: moved === 'ok' && transition === 'complete' ? await orderMadeReady(sql, taskId) : null };
			})
		));
	} catch (err) {
		// A WITH CHECK policy refusing the new row raises instead of updating nothing.
		if ((err as { code?: string }).code === '42501') return fail(403, { taskId, errors: { '': [m.task_forbidden()] } });
		throw err;
	}
	switch (outcome) {
		case 'ok':
			// After the commit, so the client who is told already sees the order ready.
			if (readyOrder && !replayed) await notifyOrderReady(await appPool(), { orderId: readyOrder });
			return { taskId, transition };
		case 'forbidden':
			return fail(403, { taskId, errors: { '': [m.task_forbidden()] } });
		case 'stale':
			return fail(409, { taskId, errors: { '': [m.task_stale()] } });
		case 'not_found':
			return fail(404, { taskId, errors: { '': [m.task_not_found()] } });
	}
}

// A flag is raised with a reason, or cleared with the form's "clear" button.
const flagForm = z.object({
	taskId: z.guid(),
	reason: z.string().optional(),
	clear: z.string().optional(),
	idempotencyKey: z.guid().optional()
});

export const actions: Actions = {
	start: (event) => move(event, 'start'),
	complete: (event) => move(event, 'complete'),
	flag: async ({ request, locals }) => {
		const parsed = validate(flagForm, Object.fromEntries(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { taskId, idempotencyKey } = parsed.data;
		const reason = parsed.data.clear ? null : (parsed.data.reason ?? '');
		try {
			await locals.db((sql) => once(sql, idempotencyKey, 'task.flag', () => flagTask(sql, { taskId, reason }, getLocale())));
		} catch (err) {
			if (err instanceof YardError) return fail(err.status, { taskId, errors: err.errors });
			throw err;
		}
		return { taskId, flagged: reason !== null };
	}
};
