/** Roles of the product (PRODUCT.md, "People and what they use"). */
export const appRoles = [
	'operator',
	'team_lead',
	'csm',
	'sales',
	'site_manager',
	'director',
	'driver',
	'client',
	'admin'
] as const;
export type AppRole = (typeof appRoles)[number];

export interface RoleGrant {
	siteId: string | null;
	role: AppRole;
}

/** Most encompassing first: the role that shapes someone's navigation when they hold several. */
const precedence: AppRole[] = ['admin', 'director', 'site_manager', 'csm', 'team_lead', 'sales', 'operator', 'driver'];

/** Does someone hold one of `wanted` at `siteId`? Organisation-wide grants count at every site. */
export function holdsRoleAt(roles: RoleGrant[], siteId: string, wanted: readonly AppRole[]): boolean {
	return roles.some((r) => (r.siteId === siteId || r.siteId === null) && wanted.includes(r.role));
}

/** A person with no staff role but a client account is a client. */
export function primaryRole(roles: RoleGrant[]): AppRole {
	return precedence.find((role) => roles.some((r) => r.role === role)) ?? 'client';
}

export type Section =
	| 'today'
	| 'board'
	| 'yard'
	| 'orders'
	| 'invoices'
	| 'prices'
	| 'stock'
	| 'transfers'
	| 'drivers'
	| 'convoy'
	| 'crm'
	| 'sites'
	| 'tickets'
	| 'kpi'
	| 'admin'
	| 'portal';

/** Which sections a role works in, in menu order (the screens of PRODUCT.md's role table). */
export const sectionsByRole: Record<AppRole, Section[]> = {
	operator: ['today', 'yard', 'convoy'],
	team_lead: ['today', 'board', 'yard', 'orders', 'convoy'],
	csm: ['today', 'orders', 'invoices', 'tickets', 'stock', 'convoy'],
	sales: ['today', 'crm', 'stock', 'transfers', 'convoy'],
	site_manager: ['today', 'board', 'yard', 'orders', 'invoices', 'prices', 'crm', 'stock', 'transfers', 'drivers', 'convoy', 'tickets', 'kpi'],
	director: ['today', 'kpi', 'crm', 'stock', 'transfers', 'drivers', 'convoy', 'orders', 'invoices', 'sites'],
	driver: ['transfers', 'drivers'],
	client: ['portal'],
	admin: ['today', 'board', 'yard', 'orders', 'invoices', 'prices', 'crm', 'stock', 'transfers', 'drivers', 'convoy', 'tickets', 'kpi', 'sites', 'admin']
};

/**
 * The sites where someone sells, as `private.crm_site_ids()` decides in the database (this only
 * shapes menus and pickers): the dealerships where they are sales or site manager, every site
 * for directors and admins. A logistics hub sells nothing.
 */
export function crmSites<S extends { id: string; kind: 'hub' | 'dealership' }>(roles: RoleGrant[], sites: readonly S[]): S[] {
	return sites.filter(
		(s) => holdsRoleAt(roles, s.id, ['director', 'admin']) || (s.kind === 'dealership' && holdsRoleAt(roles, s.id, ['sales', 'site_manager']))
	);
}
