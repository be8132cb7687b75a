import { fail, redirect } from '@sveltejs/kit';
import { priceFor } from '$lib/domain/orders/pricing';
import { getLocale } from '$lib/paraglide/runtime';
import { clientSites, orderCatalogue } from '$lib/server/orders/list-orders';
import { submitOrderForm } from '$lib/server/orders/order-form';
import type { Actions, PageServerLoad } from './$types';

/**
 * A client orders for its own account at a site it works with. The same `createOrder` as the
 * back office takes the order; row-level security lets a client write only for its account,
 * with the prices of the list (migration 1100).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const accounts = locals.user!.clientAccounts;
	const account = accounts.find((a) => a.id === url.searchParams.get('account')) ?? accounts[0];
	return locals.db(async (sql) => {
		const sites = await clientSites(sql, account.id);
		const site = sites.find((s) => s.id === url.searchParams.get('site')) ?? sites[0] ?? null;
		if (!site) return { accounts, account, sites, site, services: [], prices: [], today: '' };
		const catalogue = await orderCatalogue(sql, site.id, getLocale());
		const today = catalogue.today ?? '';
		// A service without a price for this client cannot be ordered: it is not offered.
		const priced = catalogue.services.filter(
			(s) => priceFor({ prices: catalogue.prices, serviceId: s.id, siteId: site.id, clientAccountId: account.id, on: today }) !== null
		);
		return { accounts, account, sites, site, services: priced, prices: catalogue.prices, today };
	});
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const accounts = locals.user!.clientAccounts;
		const outcome = await submitOrderForm({
			form: await request.formData(),
			db: locals.db,
			allowed: async (sql, order) => {
				if (!accounts.some((a) => a.id === order.clientAccountId)) return 'client';
				const sites = await clientSites(sql, order.clientAccountId);
				return sites.some((s) => s.id === order.siteId) ? 'ok' : 'site';
			}
		});
		if (!outcome.ok) {
			const { status, values, errors, lines } = outcome;
			return fail(status, { values, errors, lines });
		}
		throw redirect(303, `/portal?created=${encodeURIComponent(outcome.reference)}`);
	}
};
