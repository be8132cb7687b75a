import type pg from 'pg';
import type { LeadSource, LeadStage } from '$lib/components/crm/labels';
import { asService, type Sql } from '$lib/server/db/pool';
import { assignLead, type LeadAssignment } from './assign';

/**
 * The leads list, read and worked as the signed-in person (sql from `locals.db`): row-level
 * security decides which leads they see (their CRM sites'; unassigned ones for directors and
 * admins) and may change. Assignment by the rules runs as the service once the person may see
 * the lead, since the rules read every site's sales people and response times.
 */

export type LeadView = 'mine' | 'site' | 'all';

export interface LeadFilters {
	view: LeadView;
	/** The site of "my site" (the person's current site). */
	currentSiteId: string | null;
	/** A site, or 'unassigned' (directors and admins). */
	siteId?: string;
	stage?: LeadStage;
	source?: LeadSource;
	unanswered?: boolean;
	escalated?: boolean;
	/** Always listed, whatever the filters: the lead a notification points at. */
	highlight?: string;
	limit?: number;
}

export interface LeadRow {
	id: string;
	customerId: string;
	customerName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	source: LeadSource;
	formSiteCode: string | null;
	vehicle: { id: string; label: string; plate: string | null } | null;
	message: string | null;
	createdAt: string;
	assignedAt: string | null;
	firstResponseAt: string | null;
	escalatedAt: string | null;
	stage: LeadStage;
	siteId: string | null;
	siteCode: string | null;
	assigneeId: string | null;
	assigneeName: string | null;
	siteRule: string | null;
	personRule: string | null;
	detail: Record<string, unknown>;
}

export interface LeadList {
	rows: LeadRow[];
	/** The organisation's delay for a first response (settings.lead_response_minutes). */
	responseMinutes: number;
}

const LIMIT = 200;

export async function listLeads(sql: Sql, f: LeadFilters): Promise<LeadList> {
	const where: string[] = [];
	const params: unknown[] = [];
	const param = (value: unknown) => {
		params.push(value);
		return `$${params.length}`;
	};
	if (f.view === 'mine') where.push(`l.assigned_to = auth.uid()`);
	if (f.view === 'site') where.push(f.currentSiteId ? `l.site_id = ${param(f.currentSiteId)}` : 'false');
	if (f.siteId === 'unassigned') where.push('l.site_id is null');
	else if (f.siteId) where.push(`l.site_id = ${param(f.siteId)}`);
	if (f.stage) where.push(`l.stage = ${param(f.stage)}`);
	if (f.source) where.push(`l.source = ${param(f.source)}`);
	if (f.unanswered) where.push(`l.first_response_at is null and l.stage = 'new'`);
	if (f.escalated) where.push(`l.escalated_at is not null and l.first_response_at is null`);
	const filter = where.length ? where.join(' and ') : 'true';
	const highlight = f.highlight ? `or l.id = ${param(f.highlight)}` : '';
	const { rows } = await sql.query(
		`select l.id, l.customer_id, l.source::text as source, l.message, l.created_at, l.assigned_at, l.first_response_at, l.escalated_at,
		        l.stage::text as stage, l.site_id, s.code as site_code, fs.code as form_site_code, l.assigned_to, p.full_name as assignee_name,
		        l.site_rule, l.person_rule, l.assignment_detail,
		        nullif(btrim(coalesce(c.first_name, '') || ' ' || c.last_name), '') as customer_name, c.email, c.phone, c.postcode,
		        v.id as vehicle_id, v.make || ' ' || v.model as vehicle_label, v.plate as vehicle_plate
		   from public.leads l
		   join public.customers c on c.id = l.customer_id
		   left join public.sites s on s.id = l.site_id
		   left join public.sites fs on fs.id = l.form_site_id
		   left join public.profiles p on p.id = l.assigned_to
		   left join public.vehicles v on v.id = l.requested_vehicle_id
		  where (${filter}) ${highlight}
		  order by (l.first_response_at is null and l.stage = 'new') desc, l.created_at desc
		  limit ${Math.min(f.limit ?? LIMIT, LIMIT)}`,
		params
	);
	const { rows: org } = await sql.query(
		`select coalesce((o.settings ->> 'lead_response_minutes')::int, 60) as minutes
		   from public.organisations o where o.id = private.organisation_id()`
	);
	return {
		responseMinutes: org[0]?.minutes ?? 60,
		rows: rows.map((r) => ({
			id: r.id,
			customerId: r.customer_id,
			customerName: r.customer_name,
			email: r.email,
			phone: r.phone,
			postcode: r.postcode,
			source: r.source,
			formSiteCode: r.form_site_code,
			vehicle: r.vehicle_id ? { id: r.vehicle_id, label: r.vehicle_label, plate: r.vehicle_plate } : null,
			message: r.message,
			createdAt: r.created_at.toISOString(),
			assignedAt: r.assigned_at?.toISOString() ?? null,
			firstResponseAt: r.first_response_at?.toISOString() ?? null,
			escalatedAt: r.escalated_at?.toISOString() ?? null,
			stage: r.stage,
			siteId: r.site_id,
			siteCode: r.site_code,
			assigneeId: r.assigned_to,
			assigneeName: r.assignee_name,
			siteRule: r.site_rule,
			personRule: r.person_rule,
			detail: r.assignment_detail ?? {}
		}))
	};
}

export interface AssignTarget {
	id: string;
	code: string;
	name: string;
	/** Who may receive the site's leads: its sales people and managers. */
	people: { id: string; name: string; role: 'sales' | 'site_manager' }[];
}

/**
 * Where the person may send a lead by hand: the dealerships they manage (every one for
 * directors and admins), each with the people who sell there. Empty for sales people.
 */
export async function assignTargets(sql: Sql): Promise<AssignTarget[]> {
	const { rows } = await sql.query(
		`select s.id, s.code, s.name,
		        coalesce((select json_agg(json_build_object('id', p.id, 'name', p.full_name, 'role', m.role) order by m.role desc, p.full_name)
		                    from public.memberships m join public.profiles p on p.id = m.user_id
		                   where m.site_id = s.id and m.role in ('sales', 'site_manager')), '[]') as people
		   from public.sites s
		  where s.kind = 'dealership' and s.id in (select private.managed_site_ids())
		  order by s.code`
	);
	return rows;
}

export type LeadActionResult = { ok: true } | { ok: false; status: 403 | 404 | 409 };

/** The person has reached the customer: the lead moves to "contacted" (the trigger stamps the first response). */
export async function markContacted(sql: Sql, leadId: string): Promise<LeadActionResult> {
	const { rows } = await sql.query(`select stage::text as stage from public.leads where id = $1`, [leadId]);
	if (!rows[0]) return { ok: false, status: 404 };
	if (rows[0].stage !== 'new') return { ok: false, status: 409 };
	const { rowCount } = await sql.query(`update public.leads set stage = 'contacted' where id = $1 and stage = 'new'`, [leadId]);
	return rowCount ? { ok: true } : { ok: false, status: 403 };
}

/**
 * A manager sends the lead to a site and a person of their choice. Only managers of the lead's
 * site (or directors and admins, for any lead, unassigned ones too) may; the target must be
 * one of the site's sales people or managers. Both rules become 'manual'.
 */
export async function reassignLead(sql: Sql, leadId: string, siteId: string, userId: string): Promise<LeadActionResult> {
	const { rows } = await sql.query(
		`select (l.site_id in (select private.managed_site_ids())
		         or (l.site_id is null and private.has_org_role(array['director', 'admin']::public.app_role[]))) as may
		   from public.leads l where l.id = $1`,
		[leadId]
	);
	if (!rows[0]) return { ok: false, status: 404 };
	if (!rows[0].may) return { ok: false, status: 403 };
	const { rows: target } = await sql.query(
		`select 1 from public.memberships m
		  where m.site_id = $1 and m.user_id = $2 and m.role in ('sales', 'site_manager')
		    and m.site_id in (select private.managed_site_ids())`,
		[siteId, userId]
	);
	if (!target[0]) return { ok: false, status: 403 };
	const { rowCount } = await sql.query(
		`update public.leads set site_id = $2, assigned_to = $3, site_rule = 'manual', person_rule = 'manual', assignment_detail = '{}'
		  where id = $1`,
		[leadId, siteId, userId]
	);
	return rowCount ? { ok: true } : { ok: false, status: 403 };
}

/**
 * Runs the organisation's rules on an unassigned lead the person sees (directors and admins),
 * as the service: `check` is the person's own view of the lead, under RLS.
 */
export async function assignByRules(pool: pg.Pool, check: Sql, leadId: string): Promise<LeadAssignment | LeadActionResult> {
	const { rows } = await check.query(`select site_id from public.leads where id = $1`, [leadId]);
	if (!rows[0]) return { ok: false, status: 404 };
	if (rows[0].site_id) return { ok: false, status: 409 };
	return asService(pool, (sql) => assignLead(sql, leadId));
}
