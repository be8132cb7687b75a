import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { CLONE_PARTS, cloneSchema, cloneSite, siteCounts } from '$lib/server/sites/clone';
import { listSites, opensSites } from '$lib/server/sites/admin';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

/** The organisation's sites and the form that opens a new one from another's configuration. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!opensSites(locals.user!.roles)) error(403, m.site_cl_forbidden());
	return { sites: await locals.db(listSites), parts: CLONE_PARTS };
};

export const actions: Actions = {
	clone: async ({ request, locals }) => {
		if (!opensSites(locals.user!.roles)) return fail(403, { errors: { '': [m.site_cl_forbidden()] }, values: null });
		const form = await request.formData();
		const values = {
			...Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'parts')),
			parts: form.getAll('parts').filter((p): p is string => typeof p === 'string')
		};
		const parsed = validate(cloneSchema, values, getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values });
		const outcome = await locals.db(async (sql) => {
			const result = await cloneSite(sql, parsed.data, getLocale());
			if (!result.ok) return result;
			const counts = (await siteCounts(sql, [result.siteId])).get(result.siteId)!;
			return { ...result, counts };
		});
		if (!outcome.ok) return fail(outcome.status, { errors: outcome.errors, values });
		return {
			created: { id: outcome.siteId, code: parsed.data.code, name: parsed.data.name, parts: parsed.data.parts, counts: outcome.counts }
		};
	}
};
