import { error } from '@sveltejs/kit';
import { sectionsByRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { listStock, stockOptions } from '$lib/server/stock/list-stock';
import { pageSize, parseStockQuery, stockFilters } from './filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends, url }) => {
	// A vehicle sold, moved, sent or received anywhere the person may see refreshes the list.
	depends('live:vehicles', 'live:transfers');
	const user = locals.user!;
	if (!sectionsByRole[user.primaryRole].includes('stock')) throw error(403, m.stock_forbidden());
	const query = parseStockQuery(url.searchParams);
	const { stock, options } = await locals.db(async (sql) => ({
		stock: await listStock(sql, stockFilters(query)),
		options: await stockOptions(sql)
	}));
	// The import page itself asks the database; this only decides whether to offer it.
	const canImport = user.roles.some((r) => r.role === 'site_manager' || r.role === 'admin');
	return { query, stock, options, pageSize, canImport };
};
