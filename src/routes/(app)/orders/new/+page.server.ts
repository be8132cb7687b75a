import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { listClientAccounts, orderCatalogue } from '$lib/server/orders/list-orders';
import { submitOrderForm } from '$lib/server/orders/order-form';
import { mayTakeOrders } from '$lib/server/orders/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { currentSite } = await parent();
	if (!currentSite || !mayTakeOrders(locals.user!, currentSite.id)) throw error(403, m.order_error_forbidden());
	const { clients, catalogue } = await locals.db(async (sql) => ({
		clients: await listClientAccounts(sql),
		catalogue: await orderCatalogue(sql, currentSite.id, getLocale())
	}));
	return { site: currentSite, clients, ...catalogue, today: catalogue.today ?? '' };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const outcome = await submitOrderForm({
			form: await request.formData(),
			db: locals.db,
			// Any client account of the organisation the person sees; RLS decides the site.
			allowed: async (sql, order) => ((await listClientAccounts(sql)).some((c) => c.id === order.clientAccountId) ? 'ok' : 'client')
		});
		if (!outcome.ok) {
			const { status, values, errors, lines } = outcome;
			return fail(status, { values, errors, lines });
		}
		throw redirect(303, `/orders?created=${encodeURIComponent(outcome.reference)}`);
	}
};
