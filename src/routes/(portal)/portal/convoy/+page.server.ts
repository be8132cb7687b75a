import { DETOUR_FACTOR } from '$lib/server/convoy/service';
import { quoteAction } from '$lib/server/convoy/requests';
import type { Actions, PageServerLoad } from './$types';

/** Clients quote a convoy at their provider's tariff (read as them: they may read it, not change it). */
export const load: PageServerLoad = () => ({ detourFactor: DETOUR_FACTOR });

export const actions: Actions = {
	quote: ({ request, locals }) => quoteAction(request, locals.db)
};
