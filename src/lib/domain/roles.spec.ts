import { describe, expect, it } from 'vitest';
import { crmSites, holdsRoleAt, primaryRole, sectionsByRole } from './roles';

describe('primaryRole', () => {
	it('picks the most encompassing role someone holds', () => {
		expect(primaryRole([{ siteId: 'a', role: 'operator' }, { siteId: 'b', role: 'site_manager' }])).toBe('site_manager');
		expect(primaryRole([{ siteId: null, role: 'director' }, { siteId: 'a', role: 'csm' }])).toBe('director');
	});

	it('treats someone with no staff role as a client', () => {
		expect(primaryRole([])).toBe('client');
	});
});

describe('sectionsByRole', () => {
	it('keeps clients in the portal only', () => {
		expect(sectionsByRole.client).toEqual(['portal']);
	});

	it('gives drivers their transfers and nothing of the yard', () => {
		expect(sectionsByRole.driver).toContain('transfers');
		expect(sectionsByRole.driver).not.toContain('yard');
	});

	it('shows invoices to billing staff and directors, not to the yard or to clients', () => {
		for (const role of ['csm', 'site_manager', 'director', 'admin'] as const) expect(sectionsByRole[role]).toContain('invoices');
		for (const role of ['operator', 'team_lead', 'sales', 'driver', 'client'] as const) expect(sectionsByRole[role]).not.toContain('invoices');
	});
});

describe('holdsRoleAt', () => {
	it('counts a role at that site or organisation-wide, not at another site', () => {
		expect(holdsRoleAt([{ siteId: 'a', role: 'csm' }], 'a', ['csm'])).toBe(true);
		expect(holdsRoleAt([{ siteId: null, role: 'admin' }], 'a', ['admin'])).toBe(true);
		expect(holdsRoleAt([{ siteId: 'b', role: 'csm' }], 'a', ['csm'])).toBe(false);
		expect(holdsRoleAt([{ siteId: 'a', role: 'operator' }], 'a', ['csm'])).toBe(false);
	});
});

describe('crmSites', () => {
	const hub = { id: 'hub', kind: 'hub' as const };
	const lyon = { id: 'lyon', kind: 'dealership' as const };
	const grenoble = { id: 'grenoble', kind: 'dealership' as const };
	const sites = [hub, lyon, grenoble];

	it("gives a dealership's sales person and manager their own dealership only", () => {
		expect(crmSites([{ siteId: 'lyon', role: 'sales' }], sites)).toEqual([lyon]);
		expect(crmSites([{ siteId: 'grenoble', role: 'site_manager' }], sites)).toEqual([grenoble]);
	});

	it("gives a hub's manager and the hub's staff no CRM", () => {
		expect(crmSites([{ siteId: 'hub', role: 'site_manager' }], sites)).toEqual([]);
		expect(crmSites([{ siteId: 'lyon', role: 'operator' }], sites)).toEqual([]);
	});

	it('gives directors and admins every site', () => {
		expect(crmSites([{ siteId: null, role: 'director' }], sites)).toEqual(sites);
	});
});
