import { DETOUR_FACTOR } from '$lib/server/convoy/service';
import { quoteAction, saveTariffAction } from '$lib/server/convoy/requests';
import { readConvoyTariff } from '$lib/server/convoy/tariff';
import type { Actions, PageServerLoad } from './$types';

/** Every staff role quotes; organisation admins also edit the tariff (the database enforces it). */
export const load: PageServerLoad = async ({ locals }) => {
	const { tariff, isDefault } = await locals.db(readConvoyTariff);
	return {
		tariff,
		tariffIsDefault: isDefault,
		mayEditTariff: locals.user!.roles.some((r) => r.role === 'admin' && r.siteId === null),
		detourFactor: DETOUR_FACTOR
	};
};

export const actions: Actions = {
	quote: ({ request, locals }) => quoteAction(request, locals.db),
	tariff: ({ request, locals }) => saveTariffAction(request, locals.db)
};
