import { error } from '@sveltejs/kit';
import { holdsRoleAt } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { fecExport, fecFileName } from '$lib/server/accounting/exports';
import { accountingInvoices, fecSiren } from '$lib/server/invoicing/accounting';
import { siteToday } from '$lib/server/prices/price-list';
import { invoiceFilter, parseFilters } from '../filters';
import { READERS } from '../forms.server';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/**
 * The issued invoices of the list's filters as an FEC sales journal (read as the person). A
 * ledger file belongs to one company, so a selection spanning several SIRENs is refused.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = locals.user;
	if (!user) error(401);
	const readable = user.sites.filter((s) => holdsRoleAt(user.roles, s.id, READERS));
	if (readable.length === 0) error(403);
	const filters = parseFilters(url.searchParams);
	const { invoices, siren, today } = await locals.db(async (sql) => {
		const invoices = await accountingInvoices(sql, invoiceFilter(filters));
		return {
			invoices,
			siren: await fecSiren(
				sql,
				invoices.map((i) => i.id),
				filters.site ?? (readable.length === 1 ? readable[0].id : null)
			),
			today: (await siteToday(sql, filters.site ?? readable[0].id)) ?? new Date().toISOString().slice(0, 10)
		};
	});
	if (!siren) error(400, m.invoice_fec_one_company());
	// The fiscal year is taken as the calendar year of the selection (Relais does not store closings).
	const year = filters.month?.slice(0, 4) ?? invoices.at(-1)?.issuedOn.slice(0, 4) ?? today.slice(0, 4);
	return fileResponse(fecExport(invoices, { validatedOn: today }), {
		contentType: 'text/plain; charset=utf-8',
		fileName: fecFileName(siren, `${year}-12-31`),
		disposition: 'attachment'
	});
};
