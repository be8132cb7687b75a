import { z } from 'zod';
import { invoiceStatuses } from '$lib/components/invoices/labels';

/**
 * The list's filters, from the query string: the page, its CSV and its FEC export read the same
 * ones, so an export holds what the screen shows. A filter that does not parse is dropped
 * rather than refused: URLs are typed by hand too.
 */
// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const schema = z.object({
	site: z.guid().optional().catch(undefined),
	client: z.guid().optional().catch(undefined),
	status: z.enum(invoiceStatuses).optional().catch(undefined),
	/** yyyy-mm, as `<input type="month">` sends it. */
	month: z
		.string()
		.regex(/^\d{4}-(0[1-9]|1[0-2])$/)
		.optional()
		.catch(undefined)
});

export type InvoiceFilters = z.output<typeof schema>;

export function parseFilters(params: URLSearchParams): InvoiceFilters {
	return schema.parse({
		site: params.get('site') || undefined,
		client: params.get('client') || undefined,
		status: params.get('status') || undefined,
		month: params.get('month') || undefined
	});
}

/** The filters as listInvoices and accountingInvoices take them. */
export function invoiceFilter(filters: InvoiceFilters) {
	return {
		siteId: filters.site ?? null,
		clientAccountId: filters.client ?? null,
		status: filters.status ?? null,
		month: filters.month ? `${filters.month}-01` : null
	};
}

/** The filters back as a query string (for the export links). */
export function filterQuery(filters: InvoiceFilters): string {
	const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])));
	const query = params.toString();
	return query ? `?${query}` : '';
}

/** A file name for an export of these filters: "factures-2026-11" (ASCII, header-safe). */
export function exportName(filters: InvoiceFilters, locale: 'fr' | 'en'): string {
	return [locale === 'en' ? 'invoices' : 'factures', filters.month, filters.status].filter(Boolean).join('-');
}
