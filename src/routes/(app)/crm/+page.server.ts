import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The CRM opens on the leads. */
export const load: PageServerLoad = () => {
	throw redirect(307, '/crm/leads');
};
