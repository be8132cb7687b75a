import { describe, expect, it } from 'vitest';
import {
	decideAssignment,
	fastestResponder,
	haversineKm,
	median,
	roundRobin,
	rulesFor,
	type AssignmentFacts,
	type LeadRule,
	type RuleKind,
	type SalesPerson
} from './assignment';

const LYON = { id: 'lyon', latitude: 45.764, longitude: 4.8357 };
const GRENOBLE = { id: 'grenoble', latitude: 45.1885, longitude: 5.7245 };
const MARSEILLE = { id: 'marseille', latitude: 43.2965, longitude: 5.3698 };

function rule(kind: RuleKind, position: number, params: LeadRule['params'] = {}, siteId: string | null = null): LeadRule {
	return { kind, position, params, siteId, enabled: true };
}

function person(id: string, siteId: string, over: Partial<SalesPerson> = {}): SalesPerson {
	return { id, name: id, siteId, medianMinutes: null, openLeads: 0, lastAssignedAt: null, ...over };
}

function facts(over: Partial<AssignmentFacts>): AssignmentFacts {
	return {
		rules: [],
		formSiteId: 'lyon',
		vehicle: null,
		customer: null,
		dealerships: [LYON, GRENOBLE, MARSEILLE],
		salesPeople: [
			person('gaelle', 'lyon', { medianMinutes: 12, lastAssignedAt: 2000 }),
			person('thomas', 'lyon', { medianMinutes: 5, lastAssignedAt: 3000 }),
			person('ines', 'grenoble', { medianMinutes: 30, lastAssignedAt: 1000 }),
			person('pauline', 'marseille', { medianMinutes: 8 })
		],
		managers: [{ id: 'marc', siteId: 'lyon' }, { id: 'nathalie', siteId: 'grenoble' }],
		...over
	};
}

describe('haversineKm', () => {
	it('measures Lyon–Grenoble as the crow flies (about 95 km)', () => {
		const km = haversineKm({ lat: LYON.latitude, lon: LYON.longitude }, { lat: GRENOBLE.latitude, lon: GRENOBLE.longitude });
		expect(km).toBeGreaterThan(90);
		expect(km).toBeLessThan(100);
	});
});

describe('median', () => {
	it('takes the middle value, or the mean of the two middle ones', () => {
		expect(median([])).toBeNull();
		expect(median([9, 1, 5])).toBe(5);
		expect(median([1, 2, 3, 10])).toBe(2.5);
	});
});

describe('rulesFor', () => {
	const org = [rule('round_robin', 1), rule('vehicle_site', 0), { ...rule('nearest_site', 2), enabled: false }];
	it("uses the organisation's enabled rules in position order", () => {
		expect(rulesFor(org, 'lyon').map((r) => r.kind)).toEqual(['vehicle_site', 'round_robin']);
	});
	it("prefers the form site's own rules when it has enabled ones", () => {
		const own = [rule('fastest_responder', 0, {}, 'lyon')];
		expect(rulesFor([...org, ...own], 'lyon').map((r) => r.kind)).toEqual(['fastest_responder']);
		expect(rulesFor([...org, ...own], 'grenoble').map((r) => r.kind)).toEqual(['vehicle_site', 'round_robin']);
		expect(rulesFor([...org, { ...own[0], enabled: false }], 'lyon').map((r) => r.kind)).toEqual(['vehicle_site', 'round_robin']);
	});
});

describe('vehicle_site', () => {
	it("sends the lead to the requested vehicle's site", () => {
		const d = decideAssignment(facts({ rules: [rule('vehicle_site', 0)], vehicle: { plate: 'AB-123-CD', siteId: 'grenoble' } }));
		expect(d).toEqual({ siteId: 'grenoble', assignedTo: null, siteRule: 'vehicle_site', personRule: null, detail: { vehicle_plate: 'AB-123-CD' } });
	});
	it('does not apply without a requested vehicle', () => {
		expect(decideAssignment(facts({ rules: [rule('vehicle_site', 0)] })).siteId).toBeNull();
	});
});

describe('nearest_site', () => {
	const aix = { postcode: '13100', lat: 43.5297, lon: 5.4474 };
	it('picks the nearest dealership and records the distance and postcode', () => {
		const d = decideAssignment(facts({ rules: [rule('nearest_site', 0)], customer: aix }));
		expect(d.siteId).toBe('marseille');
		expect(d.siteRule).toBe('nearest_site');
		expect(d.detail).toEqual({ distance_km: 26.7, postcode: '13100' });
	});
	it('does not apply beyond max_km, nor without coordinates', () => {
		expect(decideAssignment(facts({ rules: [rule('nearest_site', 0, { max_km: 20 })], customer: aix })).siteId).toBeNull();
		expect(decideAssignment(facts({ rules: [rule('nearest_site', 0)] })).siteId).toBeNull();
	});
	it('is skipped once an earlier site rule chose', () => {
		const d = decideAssignment(
			facts({ rules: [rule('vehicle_site', 0), rule('nearest_site', 1)], customer: aix, vehicle: { plate: 'X', siteId: 'lyon' } })
		);
		expect(d.siteId).toBe('lyon');
		expect(d.detail).toEqual({ vehicle_plate: 'X' });
	});
});

describe('fastest_responder', () => {
	it("picks the smallest median among the chosen site's sales people", () => {
		const d = decideAssignment(facts({ rules: [rule('vehicle_site', 0), rule('fastest_responder', 1)], vehicle: { plate: 'X', siteId: 'lyon' } }));
		expect(d).toMatchObject({ siteId: 'lyon', assignedTo: 'thomas', siteRule: 'vehicle_site', personRule: 'fastest_responder' });
		expect(d.detail.median_minutes).toBe(5);
	});
	it("uses the form's site when no site rule applied, recorded as form_site", () => {
		const d = decideAssignment(facts({ rules: [rule('fastest_responder', 0)], formSiteId: 'grenoble' }));
		expect(d).toMatchObject({ siteId: 'grenoble', assignedTo: 'ines', siteRule: 'form_site', personRule: 'fastest_responder' });
	});
	it('breaks ties by fewer open leads, then name, and ignores people with no answered lead', () => {
		const people = [
			person('b', 's', { medianMinutes: 5, openLeads: 1 }),
			person('a', 's', { medianMinutes: 5, openLeads: 3 }),
			person('c', 's', { medianMinutes: 5, openLeads: 1 }),
			person('z', 's')
		];
		expect(fastestResponder(people)?.id).toBe('b');
		expect(fastestResponder([person('z', 's')])).toBeNull();
	});
	it('does not apply when nobody has answered: the next rule decides', () => {
		const d = decideAssignment(
			facts({ rules: [rule('fastest_responder', 0), rule('round_robin', 1)], salesPeople: [person('new', 'lyon')] })
		);
		expect(d).toMatchObject({ assignedTo: 'new', personRule: 'round_robin' });
	});
});

describe('round_robin', () => {
	it('picks whoever was assigned longest ago, the never-assigned first, ties by name', () => {
		expect(roundRobin([person('a', 's', { lastAssignedAt: 5 }), person('b', 's', { lastAssignedAt: 2 })])?.id).toBe('b');
		expect(roundRobin([person('a', 's', { lastAssignedAt: 5 }), person('c', 's'), person('b', 's')])?.id).toBe('b');
	});
	it("rotates within the form's site", () => {
		const d = decideAssignment(facts({ rules: [rule('round_robin', 0)] }));
		expect(d).toMatchObject({ siteId: 'lyon', assignedTo: 'gaelle', siteRule: 'form_site', personRule: 'round_robin' });
	});
	it('does not override a person already chosen', () => {
		const d = decideAssignment(facts({ rules: [rule('fastest_responder', 0), rule('round_robin', 1)] }));
		expect(d.personRule).toBe('fastest_responder');
	});
	it('does not apply when the site has no sales people', () => {
		const d = decideAssignment(facts({ rules: [rule('round_robin', 0)], formSiteId: 'empty' }));
		expect(d).toMatchObject({ siteId: null, assignedTo: null });
	});
	it('does not apply without a site (no form, no site rule)', () => {
		expect(decideAssignment(facts({ rules: [rule('round_robin', 0)], formSiteId: null })).assignedTo).toBeNull();
	});
});

describe('fallback', () => {
	it('gives its site and a round-robin sales person when nothing else applied', () => {
		const d = decideAssignment(
			facts({ rules: [rule('vehicle_site', 0), rule('nearest_site', 1), rule('fallback', 2, { site_id: 'lyon' })], formSiteId: null })
		);
		expect(d).toEqual({ siteId: 'lyon', assignedTo: 'gaelle', siteRule: 'fallback', personRule: 'fallback', detail: {} });
	});
	it("falls to the site's manager when the site has no sales people", () => {
		const d = decideAssignment(facts({ rules: [rule('fallback', 0, { site_id: 'grenoble' })], salesPeople: [], formSiteId: null }));
		expect(d).toMatchObject({ siteId: 'grenoble', assignedTo: 'nathalie', siteRule: 'fallback', personRule: 'fallback' });
	});
	it('keeps a site chosen by an earlier rule and only picks the person', () => {
		const d = decideAssignment(
			facts({ rules: [rule('vehicle_site', 0), rule('fallback', 1, { site_id: 'lyon' })], vehicle: { plate: 'X', siteId: 'grenoble' } })
		);
		expect(d).toMatchObject({ siteId: 'grenoble', assignedTo: 'ines', siteRule: 'vehicle_site', personRule: 'fallback' });
	});
});

describe('fallback order', () => {
	const chain = [rule('vehicle_site', 0), rule('nearest_site', 1, { max_km: 150 }), rule('fastest_responder', 2), rule('round_robin', 3), rule('fallback', 4, { site_id: 'lyon' })];
	it('vehicle beats postcode; fastest responder beats round robin', () => {
		const d = decideAssignment(
			facts({ rules: chain, vehicle: { plate: 'X', siteId: 'marseille' }, customer: { postcode: '38000', lat: 45.18, lon: 5.72 } })
		);
		expect(d).toMatchObject({ siteId: 'marseille', siteRule: 'vehicle_site', assignedTo: 'pauline', personRule: 'fastest_responder' });
	});
	it('without vehicle nor postcode, the person rules work on the form site', () => {
		expect(decideAssignment(facts({ rules: chain, formSiteId: 'grenoble' }))).toMatchObject({ siteId: 'grenoble', siteRule: 'form_site', assignedTo: 'ines' });
	});
	it('with nothing to go on, the fallback decides', () => {
		expect(decideAssignment(facts({ rules: chain, formSiteId: null }))).toMatchObject({ siteId: 'lyon', siteRule: 'fallback', personRule: 'fallback' });
	});
	it('with no rule at all the lead stays unassigned', () => {
		expect(decideAssignment(facts({ rules: [] }))).toEqual({ siteId: null, assignedTo: null, siteRule: null, personRule: null, detail: {} });
	});
});
