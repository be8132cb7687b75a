import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { addInteraction, CustomerError, customerHistory, interactionSites, managesCrm, updateCustomer, worksCrm } from '$lib/server/crm/customers';
import type { Actions, PageServerLoad } from './$types';

/** One customer: contact details and the whole history across the group's sites, live. */
export const load: PageServerLoad = async ({ locals, depends, params }) => {
	depends('live:customers', 'live:customer_interactions', 'live:leads', 'live:quotes');
	const user = locals.user!;
	if (!worksCrm(user)) error(403, m.crm_cu_forbidden());
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404, m.crm_cu_not_found());
	const { history, sites } = await locals.db(async (sql) => ({ history: await customerHistory(sql, id.data), sites: await interactionSites(sql) }));
	if (!history) error(404, m.crm_cu_not_found());
	const current = user.sites.find((s) => s.id === user.lastSiteId)?.id;
	return { ...history, sites, defaultSiteId: sites.some((s) => s.id === current) ? current : sites[0]?.id, managers: managesCrm(user) };
};

const text = (form: FormData, key: string) => {
	const value = form.get(key);
	return typeof value === 'string' ? value : undefined;
};

export const actions: Actions = {
	contact: async ({ locals, params, request }) => {
		const form = await request.formData();
		const values = Object.fromEntries(['firstName', 'lastName', 'email', 'phone', 'postcode', 'city'].map((k) => [k, text(form, k)]));
		try {
			await locals.db((sql) => updateCustomer(sql, params.id, values, getLocale()));
		} catch (err) {
			if (!(err instanceof CustomerError)) throw err;
			return fail(err.status, { form: 'contact' as const, errors: err.errors, values });
		}
		return { form: 'contact' as const, saved: true };
	},
	interaction: async ({ locals, params, request }) => {
		const form = await request.formData();
		const values = Object.fromEntries(['kind', 'siteId', 'note', 'vehicleId', 'leadId'].map((k) => [k, text(form, k)]));
		try {
			await locals.db((sql) => addInteraction(sql, params.id, values, getLocale()));
		} catch (err) {
			if (!(err instanceof CustomerError)) throw err;
			return fail(err.status, { form: 'interaction' as const, errors: err.errors, values });
		}
		return { form: 'interaction' as const, saved: true };
	}
};
