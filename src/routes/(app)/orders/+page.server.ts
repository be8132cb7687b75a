import { z } from 'zod';
import { listClientAccounts, listOrders, orderStatuses } from '$lib/server/orders/list-orders';
import { mayTakeOrders } from '$lib/server/orders/permissions';
import type { PageServerLoad } from './$types';

// A filter that does not parse is dropped rather than refused: the URL is typed by hand too.
// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const filtersSchema = z.object({
	client: z.guid().optional().catch(undefined),
	status: z.enum(orderStatuses).optional().catch(undefined),
	before: z.iso.date().optional().catch(undefined)
});

export const load: PageServerLoad = async ({ locals, parent, depends, url }) => {
	depends('live:orders', 'live:tasks');
	const { currentSite } = await parent();
	const filters = filtersSchema.parse({
		client: url.searchParams.get('client') || undefined,
		status: url.searchParams.get('status') || undefined,
		before: url.searchParams.get('before') || undefined
	});
	if (!currentSite) return { site: null, filters, orders: [], clients: [], canCreate: false };

	const { orders, clients } = await locals.db(async (sql) => ({
		orders: await listOrders(sql, currentSite.id, { clientAccountId: filters.client, status: filters.status, deadlineBefore: filters.before }),
		clients: await listClientAccounts(sql)
	}));
	return { site: currentSite, filters, orders, clients, canCreate: mayTakeOrders(locals.user!, currentSite.id) };
};
