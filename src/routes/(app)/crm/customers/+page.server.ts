import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { customerQuerySchema, duplicatePairs, listCustomers, managesCrm, worksCrm } from '$lib/server/crm/customers';
import type { PageServerLoad } from './$types';

/** The group's customers, latest interaction first, or (view=duplicates) the pairs to merge. */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends('live:customers', 'live:customer_interactions', 'live:leads', 'live:quotes');
	const user = locals.user!;
	if (!worksCrm(user)) error(403, m.crm_cu_forbidden());
	const query = customerQuerySchema.parse(Object.fromEntries(url.searchParams));
	const view = url.searchParams.get('view') === 'duplicates' ? 'duplicates' : 'list';
	const managers = managesCrm(user);
	if (view === 'duplicates') return { view, query, managers, duplicates: await locals.db((sql) => duplicatePairs(sql)), list: null };
	return { view, query, managers, duplicates: null, list: await locals.db((sql) => listCustomers(sql, query)) };
};
