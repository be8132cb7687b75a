// Relative imports only: bench/leads.ts runs this with tsx, outside SvelteKit.
import type { Sql } from '../db/pool';
import {
	decideAssignment,
	nearestDealership,
	type Dealership,
	type LeadRule,
	type SalesPerson
} from '../../domain/crm/assignment';
import { coordinatesOf } from './postcodes';

export interface LeadAssignment {
	siteId: string | null;
	assignedTo: string | null;
	siteRule: string | null;
	personRule: string | null;
	detail: Record<string, unknown>;
}

interface LeadFacts {
	organisation_id: string;
	form_site_id: string | null;
	postcode: string | null;
	customer_name: string;
	plate: string | null;
	vehicle_site_id: string | null;
	rules: LeadRule[];
	dealerships: Dealership[];
}

/**
 * Assigns a new lead by the organisation's rules (src/lib/domain/crm/assignment.ts decides),
 * records the site, the person, the rules and their figures on the lead (the lead_clocks trigger
 * stamps assigned_at), and notifies the assignee. Runs as the service, inside the caller's
 * transaction. Two queries read the facts: the lead with its rules and dealerships, then only
 * the sales people of the sites the rules could pick, with their 30-day median response.
 */
export async function assignLead(sql: Sql, leadId: string): Promise<LeadAssignment> {
	const { rows } = await sql.query<LeadFacts>(
		`select l.organisation_id, l.form_site_id, c.postcode,
		        concat_ws(' ', c.first_name, c.last_name) as customer_name,
		        v.plate, v.site_id as vehicle_site_id,
		        coalesce((select json_agg(json_build_object('kind', r.kind, 'siteId', r.site_id, 'position', r.position,
		                                                    'enabled', r.enabled, 'params', r.params) order by r.position)
		                  from public.lead_rules r
		                  where r.organisation_id = l.organisation_id and r.enabled
		                    and (r.site_id is null or r.site_id = l.form_site_id)), '[]') as rules,
		        coalesce((select json_agg(json_build_object('id', s.id, 'latitude', s.latitude, 'longitude', s.longitude))
		                  from public.sites s
		                  where s.organisation_id = l.organisation_id and s.kind = 'dealership'), '[]') as dealerships
		 from public.leads l
		 join public.customers c on c.id = l.customer_id
		 left join public.vehicles v on v.id = l.requested_vehicle_id
		 where l.id = $1
		 for update of l`,
		[leadId]
	);
	const lead = rows[0];
	if (!lead) throw new Error(`lead ${leadId} not found`);

	const position = coordinatesOf(lead.postcode);
	const customer = position && lead.postcode ? { postcode: lead.postcode, ...position } : null;
	const vehicle = lead.plate !== null && lead.vehicle_site_id ? { plate: lead.plate, siteId: lead.vehicle_site_id } : null;

	// The sites any rule could land on: the vehicle's, the nearest dealership (per max_km), the
	// form's and the fallback's. Only their people are read.
	const sites = new Set<string>();
	if (vehicle) sites.add(vehicle.siteId);
	if (lead.form_site_id) sites.add(lead.form_site_id);
	for (const rule of lead.rules) {
		if (rule.kind === 'nearest_site' && customer) {
			const found = nearestDealership(customer, lead.dealerships, rule.params.max_km);
			if (found) sites.add(found.site.id);
		}
		if (rule.kind === 'fallback' && rule.params.site_id) sites.add(rule.params.site_id);
	}
	const wantsMedian = lead.rules.some((r) => r.kind === 'fastest_responder');

	const { rows: people } = await sql.query<{
		user_id: string;
		site_id: string;
		role: 'sales' | 'site_manager';
		full_name: string;
		median_minutes: number | null;
		open_leads: number;
		last_assigned_at: Date | null;
	}>(
		`select m.user_id, m.site_id, m.role, p.full_name,
		        case when m.role = 'sales' and $3 then
		          (select percentile_cont(0.5) within group (order by extract(epoch from r.first_response_at - r.assigned_at) / 60)
		           from public.leads r
		           where r.assigned_to = m.user_id and r.first_response_at is not null
		             and r.assigned_at > now() - interval '30 days')
		        end as median_minutes,
		        case when m.role = 'sales' and $3 then
		          (select count(*)::int from public.leads o where o.assigned_to = m.user_id and o.stage not in ('delivered', 'lost'))
		        else 0 end as open_leads,
		        case when m.role = 'sales' then
		          (select max(a.assigned_at) from public.leads a where a.assigned_to = m.user_id)
		        end as last_assigned_at
		 from public.memberships m
		 join public.profiles p on p.id = m.user_id
		 where m.organisation_id = $1 and m.site_id = any($2::uuid[]) and m.role in ('sales', 'site_manager')
		 order by p.full_name, m.user_id`,
		[lead.organisation_id, [...sites], wantsMedian]
	);
	const salesPeople: SalesPerson[] = people
		.filter((p) => p.role === 'sales')
		.map((p) => ({
			id: p.user_id,
			name: p.full_name,
			siteId: p.site_id,
			medianMinutes: p.median_minutes,
			openLeads: p.open_leads,
			lastAssignedAt: p.last_assigned_at ? p.last_assigned_at.getTime() : null
		}));
	const managers = people.filter((p) => p.role === 'site_manager').map((p) => ({ id: p.user_id, siteId: p.site_id }));

	const decision = decideAssignment({
		rules: lead.rules,
		formSiteId: lead.form_site_id,
		vehicle,
		customer,
		dealerships: lead.dealerships,
		salesPeople,
		managers
	});

	await sql.query(
		`update public.leads
		 set site_id = $2, assigned_to = $3, site_rule = $4, person_rule = $5, assignment_detail = $6
		 where id = $1`,
		[leadId, decision.siteId, decision.assignedTo, decision.siteRule, decision.personRule, JSON.stringify(decision.detail)]
	);
	if (decision.assignedTo) {
		// The title and body in the assignee's language (profiles.locale).
		await sql.query(
			`insert into public.notifications (user_id, kind, title, body, link)
			 select p.id, 'lead_assigned',
			        case when p.locale = 'en' then 'New lead: ' || $2 else 'Nouveau prospect : ' || $2 end,
			        case when p.locale = 'en' then $3 || ' — please get back to them quickly: the response time is tracked.'
			             else $4 || ' — recontactez-le rapidement : le délai de réponse est suivi.' end,
			        $5
			 from public.profiles p where p.id = $1`,
			[
				decision.assignedTo,
				lead.customer_name,
				explain(decision, 'en'),
				explain(decision, 'fr'),
				`/crm/leads?lead=${leadId}`
			]
		);
	}
	return decision;
}

/** Why this person got the lead, in a few words: the rules and their figures. */
function explain(d: LeadAssignment, locale: 'fr' | 'en'): string {
	const fr = locale === 'fr';
	const parts: string[] = [];
	if (d.siteRule === 'vehicle_site') parts.push(fr ? `véhicule demandé ${d.detail.vehicle_plate}` : `requested vehicle ${d.detail.vehicle_plate}`);
	if (d.siteRule === 'nearest_site') parts.push(fr ? `site le plus proche (${d.detail.distance_km} km)` : `nearest site (${d.detail.distance_km} km)`);
	if (d.personRule === 'fastest_responder')
		parts.push(fr ? `réponse la plus rapide (médiane ${d.detail.median_minutes} min)` : `fastest responder (median ${d.detail.median_minutes} min)`);
	if (d.personRule === 'round_robin') parts.push(fr ? 'tour de rôle' : 'round robin');
	if (d.siteRule === 'fallback' || d.personRule === 'fallback') parts.push(fr ? 'règle par défaut' : 'fallback rule');
	return (fr ? 'Attribué : ' : 'Assigned: ') + (parts.join(', ') || (fr ? 'formulaire du site' : "site's form"));
}
