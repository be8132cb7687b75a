import { redirect } from '@sveltejs/kit';
import { crmSites, sectionsByRole } from '$lib/domain/roles';
import type { LayoutServerLoad } from './$types';

/** The staff shell: who is signed in, the sites they may switch between, the current one. */
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user!;
	if (user.primaryRole === 'client') throw redirect(303, '/portal');
	const currentSite = user.sites.find((s) => s.id === user.lastSiteId) ?? user.sites[0] ?? null;
	return {
		user: { id: user.id, fullName: user.fullName, email: user.email, role: user.primaryRole, organisationName: user.organisationName },
		sites: user.sites,
		currentSite,
		// A hub's manager has the role's sections but sells nothing: no CRM for them.
		sections: sectionsByRole[user.primaryRole].filter((s) => s !== 'crm' || crmSites(user.roles, user.sites).length > 0),
		liveCursor: user.liveCursor
	};
};
