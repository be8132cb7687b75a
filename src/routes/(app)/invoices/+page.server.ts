import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { holdsRoleAt } from '$lib/domain/roles';
import { monthOf } from '$lib/domain/planning/calendar';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { refusals } from '$lib/server/invoicing/errors';
import { listInvoices, tasksToValidate, validateTasks } from '$lib/server/invoicing/queries';
import { billableSites, runBilling } from '$lib/server/invoicing/run';
import { listClientAccounts } from '$lib/server/orders/list-orders';
import { siteToday } from '$lib/server/prices/price-list';
import { validate } from '$lib/validation';
import { previousMonth } from './amounts';
import { filterQuery, invoiceFilter, parseFilters } from './filters';
import { failure, READERS, refused, text } from './forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent, depends, url }) => {
	depends('live:invoices', 'live:tasks');
	const { currentSite } = await parent();
	const user = locals.user!;
	const readable = user.sites.filter((s) => holdsRoleAt(user.roles, s.id, READERS));
	if (readable.length === 0) error(403, m.invoice_forbidden_page());
	const filters = parseFilters(url.searchParams);

	return locals.db(async (sql) => {
		const billedIds = new Set(await billableSites(sql, null));
		const billable = readable.filter((s) => billedIds.has(s.id));
		// Done tasks are validated, and a run started, at the filtered site, else the current one.
		const workSite = billable.find((s) => s.id === filters.site) ?? billable.find((s) => s.id === currentSite?.id) ?? billable[0] ?? null;
		const today = (await siteToday(sql, workSite?.id ?? readable[0].id)) ?? new Date().toISOString().slice(0, 10);
		return {
			filters,
			exportQuery: filterQuery(filters),
			sites: readable,
			billable,
			workSite,
			defaultMonth: previousMonth(today),
			clients: await listClientAccounts(sql),
			invoices: await listInvoices(sql, invoiceFilter(filters)),
			toValidate: workSite ? await tasksToValidate(sql, workSite.id, getLocale()) : []
		};
	});
};

const runSchema = z.object({
	siteId: z.guid({ error: () => m.invoice_run_site_required() }),
	month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: () => m.invoice_run_month_invalid() })
});
const validateSchema = z.object({
	taskIds: z.array(z.guid()).min(1, { error: () => m.invoice_validate_none() }).max(500)
});

export const actions: Actions = {
	run: async ({ locals, request }) => {
		const form = await request.formData();
		const values = { siteId: text(form, 'siteId'), month: text(form, 'month') };
		const parsed = validate(runSchema, values, getLocale());
		if (!parsed.ok) return refused('run', 400, parsed.errors, values);
		try {
			const result = await locals.db(async (sql) => {
				const sites = await billableSites(sql, parsed.data.siteId);
				if (sites.length === 0) return null;
				return refusals(() => runBilling(sql, monthOf(`${parsed.data.month}-01`), sites));
			});
			if (!result) return refused('run', 403, { siteId: [m.invoice_error_forbidden()] }, values);
			return { action: 'run', ran: { ...result, month: parsed.data.month } };
		} catch (err) {
			return failure(err, 'run', values);
		}
	},
	validate: async ({ locals, request }) => {
		const form = await request.formData();
		const values = { taskIds: form.getAll('taskIds').map(String) };
		const parsed = validate(validateSchema, values, getLocale());
		if (!parsed.ok) return refused('validate', 400, parsed.errors, values);
		try {
			const count = await locals.db((sql) => refusals(() => validateTasks(sql, parsed.data.taskIds)));
			return { action: 'validate', validated: count };
		} catch (err) {
			return failure(err, 'validate', values);
		}
	}
};
