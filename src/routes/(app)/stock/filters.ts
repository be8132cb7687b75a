import { z } from 'zod';
import { energies, stockSorts, stockStatuses } from '$lib/components/stock/options';
import type { StockFilters } from '$lib/server/stock/list-stock';

/**
 * The stock list's filters, from the query string. A filter that does not parse is dropped
 * rather than refused: URLs are typed by hand and saved filters outlive the values they name.
 * Prices are whole euros in the URL, cents in the query.
 */
// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const count = z.coerce.number().int().min(0).max(100_000_000).optional().catch(undefined);
const schema = z.object({
	make: z.string().trim().min(1).max(60).optional().catch(undefined),
	model: z.string().trim().min(1).max(60).optional().catch(undefined),
	energy: z.enum(energies).optional().catch(undefined),
	status: z.enum(stockStatuses).optional().catch(undefined),
	site: z.guid().optional().catch(undefined),
	pmin: count,
	pmax: count,
	dmin: count,
	dmax: count,
	sort: z.enum(stockSorts).optional().catch(undefined),
	dir: z.enum(['asc', 'desc']).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined)
});

export type StockQuery = z.output<typeof schema>;
export const stockQueryKeys = Object.keys(schema.shape) as (keyof StockQuery)[];
export const pageSize = 50;

export function parseStockQuery(params: URLSearchParams): StockQuery {
	return schema.parse(Object.fromEntries(stockQueryKeys.map((key) => [key, params.get(key) || undefined])));
}

export function stockFilters(query: StockQuery): StockFilters {
	return {
		make: query.make,
		model: query.model,
		energy: query.energy,
		status: query.status,
		siteId: query.site,
		minPriceCents: query.pmin === undefined ? undefined : query.pmin * 100,
		maxPriceCents: query.pmax === undefined ? undefined : query.pmax * 100,
		minDays: query.dmin,
		maxDays: query.dmax,
		sort: query.sort,
		direction: query.dir,
		limit: pageSize,
		offset: ((query.page ?? 1) - 1) * pageSize
	};
}

/** The query back as a query string, with `changes` applied (undefined drops a key). */
export function stockHref(query: StockQuery, changes: Partial<Record<keyof StockQuery, string | number | undefined>> = {}): string {
	const merged: Record<string, unknown> = { ...query, ...changes };
	const params = new URLSearchParams();
	for (const key of stockQueryKeys) {
		const value = merged[key];
		if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
	}
	const text = params.toString();
	return text ? `/stock?${text}` : '/stock';
}
