import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { listFailingDeliveries } from '$lib/server/notify/failures';
import type { PageServerLoad } from './$types';

/** The organisation's failing deliveries: for its admins, as the policy on the queue says. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user!.roles.some((r) => r.role === 'admin' && r.siteId === null)) throw error(403, m.notify_admin_forbidden());
	return { deliveries: await locals.db((sql) => listFailingDeliveries(sql)) };
};
