import { error, fail } from '@sveltejs/kit';
import { crmSites, type AppRole } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { CrmError, moveLead, readPipeline } from '$lib/server/crm/pipeline';
import type { Actions, PageServerLoad } from './$types';

/** Who works leads at a site (private.crm_site_ids). */
const MANAGERS: readonly AppRole[] = ['site_manager', 'director', 'admin'];

/**
 * The pipeline of the current site, or consolidated over every CRM site of the person
 * (`?view=all`; the default for directors and admins, whose grants are organisation-wide).
 */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('live:leads', 'live:quotes');
	const user = locals.user!;
	const sellingSites = crmSites(user.roles, user.sites);
	if (sellingSites.length === 0) error(403);
	const current = sellingSites.find((s) => s.id === user.lastSiteId) ?? sellingSites[0];
	const orgWide = user.roles.some((r) => r.siteId === null && (r.role === 'director' || r.role === 'admin'));
	const view = url.searchParams.get('view');
	const consolidated = sellingSites.length > 1 && (view === 'all' || (view !== 'site' && orgWide));
	const siteIds = consolidated ? sellingSites.map((s) => s.id) : [current.id];
	const pipeline = await locals.db((sql) => readPipeline(sql, siteIds));
	return {
		...pipeline,
		consolidated,
		canConsolidate: sellingSites.length > 1,
		site: { id: current.id, code: current.code, name: current.name },
		siteCount: siteIds.length,
		managers: user.roles.some((r) => MANAGERS.includes(r.role))
	};
};

const field = (form: FormData, name: string): string | undefined => {
	const v = form.get(name);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export const actions: Actions = {
	move: async ({ locals, request }) => {
		const form = await request.formData();
		const input = {
			leadId: field(form, 'leadId'),
			stage: field(form, 'stage'),
			beforeId: field(form, 'beforeId'),
			afterId: field(form, 'afterId'),
			lostReason: field(form, 'lostReason')
		};
		try {
			await locals.db((sql) => moveLead(sql, input, getLocale()));
			return { leadId: input.leadId, moved: true };
		} catch (err) {
			if (!(err instanceof CrmError)) throw err;
			return fail(err.status, { leadId: input.leadId ?? null, stage: input.stage ?? null, errors: err.errors });
		}
	}
};
