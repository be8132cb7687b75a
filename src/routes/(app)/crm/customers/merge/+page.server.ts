import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { FieldErrors } from '$lib/validation';
import { CustomerError, customerHistory, managesCrm, mergeCustomers } from '$lib/server/crm/customers';
import type { Actions, PageServerLoad } from './$types';

const pairSchema = z.object({ keep: z.guid(), drop: z.guid() });

/** Two records of one customer side by side; a manager picks the one to keep and merges. */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('live:customers', 'live:customer_interactions', 'live:leads', 'live:quotes');
	const user = locals.user!;
	if (!managesCrm(user)) error(403, m.crm_cu_merge_not_manager());
	const pair = pairSchema.safeParse(Object.fromEntries(url.searchParams));
	if (!pair.success || pair.data.keep === pair.data.drop) error(404, m.crm_cu_not_found());
	const [a, b] = await locals.db(async (sql) => [await customerHistory(sql, pair.data.keep), await customerHistory(sql, pair.data.drop)]);
	if (!a || !b) error(404, m.crm_cu_not_found());
	const summary = (h: NonNullable<typeof a>) => ({
		...h.customer,
		interactions: h.timeline.filter((e) => e.type === 'interaction').length,
		leads: h.timeline.filter((e) => e.type === 'lead').length,
		quotes: h.timeline.filter((e) => e.type === 'quote').length,
		sites: [...new Set(h.timeline.map((e) => e.site).filter((s): s is string => s !== null))].sort()
	});
	return { a: summary(a), b: summary(b), managers: true };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData();
		const a = String(form.get('a') ?? '');
		const b = String(form.get('b') ?? '');
		const keep = String(form.get('keep') ?? '');
		const values = { keepId: keep, dropId: keep === a ? b : a, reason: String(form.get('reason') ?? '') };
		if (keep !== a && keep !== b) return fail(400, { errors: { keepId: [m.crm_cu_merge_choose()] } as FieldErrors, values });
		try {
			await locals.db((sql) => mergeCustomers(sql, values, getLocale()));
		} catch (err) {
			if (!(err instanceof CustomerError)) throw err;
			return fail(err.status, { errors: err.errors, values });
		}
		redirect(303, `/crm/customers/${keep}`);
	}
};
