import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { roleLabel } from '$lib/components/labels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { SITE_ROLES, grantRole, grantSchema, grantsRoles, opensSites, organisationPeople, siteDetail } from '$lib/server/sites/admin';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

/** One site: its legal details, what it holds, and who may work there (admins grant roles). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	if (!opensSites(user.roles)) error(403, m.site_cl_forbidden());
	if (!z.guid().safeParse(params.id).success) error(404, m.site_cl_detail_not_found());
	const canGrant = grantsRoles(user.roles);
	const found = await locals.db(async (sql) => ({
		detail: await siteDetail(sql, params.id),
		people: canGrant ? await organisationPeople(sql) : []
	}));
	if (!found.detail) error(404, m.site_cl_detail_not_found());
	return { ...found.detail, people: found.people, roles: canGrant ? SITE_ROLES : [], canGrant };
};

export const actions: Actions = {
	grant: async ({ request, locals, params }) => {
		const user = locals.user!;
		const values = Object.fromEntries([...(await request.formData()).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
		if (!grantsRoles(user.roles)) return fail(403, { errors: { '': [m.site_cl_forbidden()] }, values });
		const parsed = validate(grantSchema, values, getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values });
		const outcome = await locals.db(async (sql) => {
			const person = (await organisationPeople(sql)).find((p) => p.id === parsed.data.userId);
			if (!person) return { ok: false as const, status: 400 as const, errors: { userId: [m.site_cl_grant_unknown_person()] } };
			const site = await siteDetail(sql, params.id);
			if (!site) return { ok: false as const, status: 400 as const, errors: { '': [m.site_cl_detail_not_found()] } };
			const granted = await grantRole(sql, { siteId: params.id, ...parsed.data }, getLocale());
			return granted.ok ? { ok: true as const, person: person.fullName, code: site.site.code } : granted;
		});
		if (!outcome.ok) return fail(outcome.status, { errors: outcome.errors, values });
		return { done: m.site_cl_grant_done({ person: outcome.person, role: roleLabel(parsed.data.role), code: outcome.code }) };
	}
};
