import { error } from '@sveltejs/kit';
import { holdsRoleAt } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { invoicesCsv } from '$lib/server/accounting/exports';
import { accountingInvoices } from '$lib/server/invoicing/accounting';
import { exportName, invoiceFilter, parseFilters } from '../filters';
import { READERS } from '../forms.server';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/** The issued invoices of the list's filters, one row per line, for a spreadsheet (read as the person). */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = locals.user;
	if (!user) error(401);
	if (!user.sites.some((s) => holdsRoleAt(user.roles, s.id, READERS))) error(403);
	const filters = parseFilters(url.searchParams);
	const invoices = await locals.db((sql) => accountingInvoices(sql, invoiceFilter(filters)));
	const locale = getLocale();
	return fileResponse(invoicesCsv(invoices, locale), {
		contentType: 'text/csv; charset=utf-8',
		fileName: `${exportName(filters, locale)}.csv`,
		disposition: 'attachment'
	});
};
