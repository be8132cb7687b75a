/**
 * Lead assignment: which site and which sales person a new lead goes to, by the organisation's
 * rules. Pure: src/lib/server/crm/assign.ts gathers the facts, this decides.
 *
 * The rules, in order:
 * - The rule list is the form site's own enabled rules when that site has any, else the
 *   organisation's (site_id null); enabled ones only, by position.
 * - Site rules pick the site while none is picked yet:
 *   vehicle_site — the lead names a vehicle: the site where it stands;
 *   nearest_site — the customer's postcode is known: the nearest dealership (within max_km).
 * - Person rules pick the sales person while none is picked yet, among the sales people of the
 *   picked site, or of the form's site when no site rule has applied yet (the site is then the
 *   form's: site rule 'form_site'). A person rule with nobody to choose from does not apply:
 *   fastest_responder — smallest median first-response time over the last 30 days;
 *   round_robin — whoever was assigned a lead longest ago (never assigned first).
 * - fallback closes the list: its site if none is picked, then round robin among that site's
 *   sales people, else the site's manager.
 * - When nothing applies the lead stays unassigned: the organisation-wide roles see it.
 */

export type RuleKind = 'vehicle_site' | 'nearest_site' | 'fastest_responder' | 'round_robin' | 'fallback';
export const RULE_KINDS: readonly RuleKind[] = ['vehicle_site', 'nearest_site', 'fastest_responder', 'round_robin', 'fallback'];
export const SITE_RULES: readonly RuleKind[] = ['vehicle_site', 'nearest_site'];
export const PERSON_RULES: readonly RuleKind[] = ['fastest_responder', 'round_robin'];

export interface LeadRule {
	kind: RuleKind;
	/** The rule's own site, or null for the organisation's list. */
	siteId: string | null;
	position: number;
	enabled: boolean;
	params: { max_km?: number; site_id?: string };
}

export interface Dealership {
	id: string;
	latitude: number;
	longitude: number;
}

export interface SalesPerson {
	id: string;
	name: string;
	siteId: string;
	/** Median of (first response − assignment) in minutes over the last 30 days; null if none answered. */
	medianMinutes: number | null;
	openLeads: number;
	/** Epoch milliseconds of their latest assignment; null if never assigned. */
	lastAssignedAt: number | null;
}

export interface AssignmentFacts {
	rules: LeadRule[];
	formSiteId: string | null;
	vehicle: { plate: string; siteId: string } | null;
	/** The customer's postcode and its coordinates, when both are known. */
	customer: { postcode: string; lat: number; lon: number } | null;
	dealerships: Dealership[];
	salesPeople: SalesPerson[];
	/** Site managers, by site (first one wins; ordered by name by the caller). */
	managers: { id: string; siteId: string }[];
}

export interface AssignmentDecision {
	siteId: string | null;
	assignedTo: string | null;
	siteRule: string | null;
	personRule: string | null;
	detail: Record<string, unknown>;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
	const dLat = rad(b.lat - a.lat);
	const dLon = rad(b.lon - a.lon);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The list that applies: the form site's own enabled rules if it has any, else the organisation's. */
export function rulesFor(rules: LeadRule[], formSiteId: string | null): LeadRule[] {
	const enabled = rules.filter((r) => r.enabled).sort((a, b) => a.position - b.position);
	const own = formSiteId ? enabled.filter((r) => r.siteId === formSiteId) : [];
	return own.length > 0 ? own : enabled.filter((r) => r.siteId === null);
}

/** Median of a list of numbers (mean of the two middle ones for an even count). */
export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const byName = (a: SalesPerson, b: SalesPerson) => a.name.localeCompare(b.name, 'fr') || a.id.localeCompare(b.id);

export function nearestDealership(
	from: { lat: number; lon: number },
	dealerships: Dealership[],
	maxKm?: number
): { site: Dealership; km: number } | null {
	let best: { site: Dealership; km: number } | null = null;
	for (const site of dealerships) {
		const km = haversineKm(from, { lat: site.latitude, lon: site.longitude });
		if (maxKm !== undefined && km > maxKm) continue;
		if (!best || km < best.km) best = { site, km };
	}
	return best;
}

/** Fastest median first response; ties to fewer open leads, then name. Only people with an answered lead. */
export function fastestResponder(people: SalesPerson[]): SalesPerson | null {
	const answered = people.filter((p) => p.medianMinutes !== null);
	answered.sort((a, b) => a.medianMinutes! - b.medianMinutes! || a.openLeads - b.openLeads || byName(a, b));
	return answered[0] ?? null;
}

/** The one whose latest assignment is oldest; never assigned comes first; ties by name. */
export function roundRobin(people: SalesPerson[]): SalesPerson | null {
	const sorted = [...people].sort((a, b) => (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity) || byName(a, b));
	return sorted[0] ?? null;
}

export function decideAssignment(facts: AssignmentFacts): AssignmentDecision {
	const out: AssignmentDecision = { siteId: null, assignedTo: null, siteRule: null, personRule: null, detail: {} };
	const salesOf = (siteId: string | null) => (siteId ? facts.salesPeople.filter((p) => p.siteId === siteId) : []);

	for (const rule of rulesFor(facts.rules, facts.formSiteId)) {
		if (rule.kind === 'vehicle_site' || rule.kind === 'nearest_site') {
			if (out.siteId) continue;
			if (rule.kind === 'vehicle_site' && facts.vehicle) {
				out.siteId = facts.vehicle.siteId;
				out.siteRule = rule.kind;
				out.detail.vehicle_plate = facts.vehicle.plate;
			} else if (rule.kind === 'nearest_site' && facts.customer) {
				const found = nearestDealership(facts.customer, facts.dealerships, rule.params.max_km);
				if (!found) continue;
				out.siteId = found.site.id;
				out.siteRule = rule.kind;
				out.detail.distance_km = Math.round(found.km * 10) / 10;
				out.detail.postcode = facts.customer.postcode;
			}
		} else if (rule.kind === 'fastest_responder' || rule.kind === 'round_robin') {
			if (out.assignedTo) continue;
			const siteId = out.siteId ?? facts.formSiteId;
			const person = rule.kind === 'fastest_responder' ? fastestResponder(salesOf(siteId)) : roundRobin(salesOf(siteId));
			if (!person) continue;
			if (!out.siteId) {
				out.siteId = siteId;
				out.siteRule = 'form_site';
			}
			out.assignedTo = person.id;
			out.personRule = rule.kind;
			if (rule.kind === 'fastest_responder') out.detail.median_minutes = Math.round(person.medianMinutes! * 10) / 10;
		} else if (rule.kind === 'fallback') {
			if (!out.siteId && rule.params.site_id) {
				out.siteId = rule.params.site_id;
				out.siteRule = 'fallback';
			}
			if (!out.assignedTo && out.siteId) {
				const person =
					roundRobin(salesOf(out.siteId))?.id ?? facts.managers.find((m) => m.siteId === out.siteId)?.id ?? null;
				if (person) {
					out.assignedTo = person;
					out.personRule = 'fallback';
				}
			}
		}
	}
	return out;
}
