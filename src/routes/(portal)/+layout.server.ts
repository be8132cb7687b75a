import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** The client portal: only for people who belong to a client account. */
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user!;
	if (user.clientAccounts.length === 0) throw redirect(303, '/');
	return {
		user: { fullName: user.fullName, email: user.email, role: user.primaryRole, organisationName: user.organisationName },
		accounts: user.clientAccounts,
		liveCursor: user.liveCursor
	};
};
