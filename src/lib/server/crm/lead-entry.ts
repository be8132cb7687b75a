import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { asService, type Sql } from '$lib/server/db/pool';
import { assignLead, type LeadAssignment } from './assign';

/**
 * A lead typed in by a sales person: the customer found (by name, email or phone however it is
 * typed) or created, an optional vehicle of the group's stock, a message. Written as the person,
 * so row-level security decides: a lead kept for oneself goes to the person's site, which must
 * be one of their CRM sites; otherwise it is written unassigned and the rules place it.
 */

export interface CustomerMatch {
	id: string;
	name: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	/** Why it matched: the same mailbox or number is a probable duplicate, a name only a candidate. */
	match: 'email' | 'phone' | 'name';
}

/** Customers matching a search or a new customer's contact: same email, same number (typed any way), or the name. */
export async function findCustomers(sql: Sql, query: { text?: string; email?: string; phone?: string }): Promise<CustomerMatch[]> {
	const text = query.text?.trim() ?? '';
	const email = query.email?.trim() || (text.includes('@') ? text : '');
	const phone = query.phone?.trim() || (/^[+0-9 .\-()]{6,}$/.test(text) ? text : '');
	const name = text && !email && !phone ? text : '';
	if (!email && !phone && name.length < 2) return [];
	const { rows } = await sql.query(
		`select c.id, nullif(btrim(coalesce(c.first_name, '') || ' ' || c.last_name), '') as name, c.email, c.phone, c.postcode,
		        case when $1 <> '' and c.email_key = public.customer_email_key($1) then 'email'
		             when $2 <> '' and c.phone_key = public.customer_phone_key($2) then 'phone' else 'name' end as match
		   from public.customers c
		  where ($1 <> '' and c.email_key = public.customer_email_key($1))
		     or ($2 <> '' and c.phone_key = public.customer_phone_key($2))
		     or ($3 <> '' and (c.first_name || ' ' || c.last_name) ilike '%' || $3 || '%' or c.last_name || ' ' || coalesce(c.first_name, '') ilike '%' || $3 || '%')
		  order by match, c.last_name, c.first_name
		  limit 8`,
		[email, phone, name.replace(/[%_\\]/g, (ch) => `\\${ch}`)]
	);
	return rows;
}

export interface StockMatch {
	id: string;
	label: string;
	plate: string | null;
	siteCode: string;
	priceCents: number | null;
}

/** Vehicles of the group's dealer stock by plate (typed with or without dashes) or make and model. */
export async function findStockVehicles(sql: Sql, text: string): Promise<StockMatch[]> {
	const t = text.trim();
	if (t.length < 2) return [];
	const { rows } = await sql.query(
		`select v.id, v.make || ' ' || v.model as label, v.plate, s.code as site_code, v.sale_price_cents::float8 as price_cents
		   from public.vehicles v join public.sites s on s.id = v.site_id
		  where v.client_account_id is null and s.kind = 'dealership' and v.status not in ('sold', 'delivered')
		    and (regexp_replace(upper(coalesce(v.plate, '')), '[^A-Z0-9]', '', 'g') like '%' || regexp_replace(upper($1), '[^A-Z0-9]', '', 'g') || '%'
		         or (v.make || ' ' || v.model) ilike '%' || $1 || '%')
		  order by v.make, v.model, v.plate
		  limit 8`,
		[t.replace(/[%_\\]/g, (ch) => `\\${ch}`)]
	);
	return rows.map((r) => ({ id: r.id, label: r.label, plate: r.plate, siteCode: r.site_code, priceCents: r.price_cents }));
}

export interface NewCustomer {
	firstName?: string;
	lastName: string;
	email?: string;
	phone?: string;
	postcode?: string;
}

export interface ManualLead {
	customerId?: string;
	customer?: NewCustomer;
	vehicleId?: string;
	message?: string;
	/** The person's current site: where the customer was met, and where a kept lead goes. */
	siteId: string;
	/** Keep the lead for oneself rather than letting the rules assign it. */
	keep: boolean;
	/** How the customer got in touch: the lead's first interaction. */
	kind: 'visit' | 'call' | 'email';
}

/**
 * Writes the customer (when new), the lead and how the customer got in touch, in the person's
 * transaction.
 * The lead's id is chosen here: a lead written unassigned is not readable by a sales person,
 * so it cannot be read back with RETURNING.
 */
export async function writeManualLead(sql: Sql, lead: ManualLead): Promise<string> {
	let customerId = lead.customerId;
	if (!customerId) {
		const c = lead.customer!;
		const { rows } = await sql.query(
			`insert into public.customers (organisation_id, first_name, last_name, email, phone, postcode, first_site_id)
			 values (private.organisation_id(), $1, $2, $3, $4, $5, $6) returning id`,
			[c.firstName ?? null, c.lastName, c.email ?? null, c.phone ?? null, c.postcode ?? null, lead.siteId]
		);
		customerId = rows[0].id as string;
	}
	const id = randomUUID();
	// Only a vehicle of the group's dealer stock that the person sees may be named.
	const { rows: vehicle } = await sql.query(
		`select v.id, v.sale_price_cents from public.vehicles v
		  where v.id = $1 and v.client_account_id is null and v.organisation_id = private.organisation_id()`,
		[lead.vehicleId ?? null]
	);
	const { rowCount } = await sql.query(
		`insert into public.leads (id, organisation_id, customer_id, source, site_id, assigned_to, assigned_at, site_rule, person_rule,
		                           requested_vehicle_id, message, value_cents)
		 select $1, c.organisation_id, c.id, 'manual', case when $4 then $3::uuid end, case when $4 then auth.uid() end,
		        case when $4 then now() end, case when $4 then 'manual' end, case when $4 then 'manual' end, $5, $6, $7
		   from public.customers c where c.id = $2`,
		[id, customerId, lead.siteId, lead.keep, vehicle[0]?.id ?? null, lead.message ?? null, vehicle[0]?.sale_price_cents ?? 0]
	);
	if (!rowCount) throw new Error('customer not found');
	await sql.query(
		`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, lead_id, vehicle_id, note)
		 select c.organisation_id, c.id, $3, $4, $1, $5, $6 from public.customers c where c.id = $2`,
		[id, customerId, lead.siteId, lead.kind, vehicle[0]?.id ?? null, lead.message ?? null]
	);
	return id;
}

export type ManualLeadResult = { leadId: string; assignment: LeadAssignment | null };

/** The person's transaction, then (unless kept) the rules as the service. */
export async function enterLead(pool: pg.Pool, db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>, lead: ManualLead): Promise<ManualLeadResult> {
	const leadId = await db((sql) => writeManualLead(sql, lead));
	if (lead.keep) return { leadId, assignment: null };
	return { leadId, assignment: await asService(pool, (sql) => assignLead(sql, leadId)) };
}
