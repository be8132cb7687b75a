import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Everyone lands where they work: clients in their portal, staff on today's activity. */
export const load: PageServerLoad = ({ locals }) => {
	throw redirect(303, locals.user?.primaryRole === 'client' ? '/portal' : locals.user?.primaryRole === 'driver' ? '/transfers' : '/today');
};
