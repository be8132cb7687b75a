import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { SessionUser } from '$lib/server/auth/session-user';
import type { Sql } from '$lib/server/db/pool';
import { validate, type FieldErrors } from '$lib/validation';

/**
 * The group's customers as the signed-in person sees them (sql from `locals.db`): the list,
 * one customer's whole history across the sites, their contact details, new interactions and
 * merging duplicates (public.merge_customers, migration 20261203001330). RLS decides who reads
 * and writes; quote margins come only from public.quote_margins.
 */

export type Locale = 'fr' | 'en';

export const customerPageSize = 50;

/** An expected refusal, with the HTTP status a route answers and errors per field ('' = form). */
export class CustomerError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly errors: FieldErrors
	) {
		super(Object.values(errors).flat().join(' '));
	}
}

function parse<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new CustomerError(400, result.errors);
	return result.data;
}

// ─── the list ────────────────────────────────────────────────────────────────────────────────

export const customerQuerySchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined)
});
export type CustomerQuery = z.infer<typeof customerQuerySchema>;

export interface CustomerRow {
	id: string;
	firstName: string | null;
	lastName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	city: string | null;
	sites: string[];
	lastKind: string | null;
	lastSite: string | null;
	lastAt: string | null;
	openLeads: number;
}

/**
 * One page of customers, latest interaction first. What is typed picks the key compared: an
 * address compares with email_key, a number with phone_key (however it was typed), five
 * digits with the postcode, anything else with the names. The page is cut (index on
 * last_interaction_at) before the per-row look-ups; one extra row tells whether more follow.
 */
export async function listCustomers(sql: Sql, query: CustomerQuery): Promise<{ rows: CustomerRow[]; hasMore: boolean }> {
	const q = query.q ?? '';
	const digits = q.replace(/[^0-9]/g, '');
	const where: string[] = [];
	const values: unknown[] = [];
	if (q.includes('@')) {
		values.push(`${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
		where.push(`c.email_key like $${values.length}`);
	} else if (/^[0-9]{5}$/.test(q)) {
		values.push(q);
		where.push(`c.postcode = $${values.length}`);
	} else if (digits.length >= 6 && /^[0-9+().\s-]+$/.test(q)) {
		values.push(q);
		where.push(`c.phone_key like public.customer_phone_key($${values.length}) || '%'`);
	} else if (q) {
		values.push(`${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
		const p = `$${values.length}`;
		where.push(`(lower(c.last_name) like ${p} or lower(c.first_name) like ${p} or lower(coalesce(c.first_name, '') || ' ' || c.last_name) like ${p}
		  or lower(c.last_name || ' ' || coalesce(c.first_name, '')) like ${p})`);
	}
	const page = query.page ?? 1;
	values.push(customerPageSize + 1, (page - 1) * customerPageSize);
	const { rows } = await sql.query<CustomerRow>(
		`with page as (
		   select c.* from public.customers c
		   ${where.length ? `where ${where.join(' and ')}` : ''}
		   order by c.last_interaction_at desc nulls last, c.id
		   limit $${values.length - 1} offset $${values.length}
		 )
		 select c.id, c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone, c.postcode, c.city,
		   coalesce((select array_agg(s.code order by s.code) from public.sites s
		             where s.id in (select i.site_id from public.customer_interactions i where i.customer_id = c.id
		                            union select l.site_id from public.leads l where l.customer_id = c.id
		                            union select qu.selling_site_id from public.quotes qu where qu.customer_id = c.id)), '{}') as sites,
		   li.kind as "lastKind", ls.code as "lastSite", li.occurred_at as "lastAt",
		   (select count(*)::int from public.leads l where l.customer_id = c.id and l.stage not in ('delivered', 'lost')) as "openLeads"
		 from page c
		 left join lateral (select i.kind, i.site_id, i.occurred_at from public.customer_interactions i
		                    where i.customer_id = c.id order by i.occurred_at desc limit 1) li on true
		 left join public.sites ls on ls.id = li.site_id
		 order by c.last_interaction_at desc nulls last, c.id`,
		values
	);
	return { rows: rows.slice(0, customerPageSize), hasMore: rows.length > customerPageSize };
}

export interface DuplicateSide {
	id: string;
	firstName: string | null;
	lastName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	city: string | null;
	createdAt: string;
}
export interface DuplicatePair {
	a: DuplicateSide;
	b: DuplicateSide;
	/** What they share. */
	on: 'email' | 'phone';
}

const side = (alias: string) =>
	`json_build_object('id', ${alias}.id, 'firstName', ${alias}.first_name, 'lastName', ${alias}.last_name, 'email', ${alias}.email,
	  'phone', ${alias}.phone, 'postcode', ${alias}.postcode, 'city', ${alias}.city, 'createdAt', ${alias}.created_at)`;

/**
 * Pairs of customers sharing an email or a phone number (by their normalised keys), newest
 * first. Grouping by key reads each index once, where a self-join would compare every row.
 */
export async function duplicatePairs(sql: Sql, limit = 100): Promise<DuplicatePair[]> {
	const { rows } = await sql.query<DuplicatePair>(
		`with groups as (
		   select 'email' as shared, array_agg(c.id) as ids from public.customers c
		   where c.email_key is not null group by c.organisation_id, c.email_key having count(*) > 1
		   union all
		   select 'phone', array_agg(c.id) from public.customers c
		   where c.phone_key is not null group by c.organisation_id, c.phone_key having count(*) > 1
		 ),
		 pairs as (
		   select distinct on (x.id, y.id) x.id as x, y.id as y, g.shared
		   from groups g, unnest(g.ids) x (id), unnest(g.ids) y (id)
		   where x.id < y.id
		   order by x.id, y.id, g.shared
		 )
		 select case when a.created_at <= b.created_at then ${side('a')} else ${side('b')} end as a,
		        case when a.created_at <= b.created_at then ${side('b')} else ${side('a')} end as b,
		        p.shared as "on"
		 from pairs p
		 join public.customers a on a.id = p.x
		 join public.customers b on b.id = p.y
		 order by greatest(a.created_at, b.created_at) desc, p.x, p.y
		 limit $1`,
		[limit]
	);
	return rows;
}

// ─── one customer ────────────────────────────────────────────────────────────────────────────

export interface CustomerDetail {
	id: string;
	firstName: string | null;
	lastName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	city: string | null;
	firstSite: string | null;
	createdAt: string;
}

export interface VehicleSummary {
	id: string;
	label: string;
	vin: string | null;
	site: string | null;
	/** Bought (an accepted quote) rather than only looked at. */
	bought: boolean;
}

export type TimelineEntry =
	| { type: 'interaction'; id: string; at: string; kind: string; site: string | null; by: string | null; note: string | null; vehicleId: string | null; leadId: string | null }
	| { type: 'lead'; id: string; at: string; stage: string; site: string | null; assignee: string | null; source: string; message: string | null; lostReason: string | null }
	| { type: 'quote'; id: string; at: string; number: string; site: string | null; vehicleId: string; priceCents: number; status: string; marginCents: number | null };

export interface CustomerHistory {
	customer: CustomerDetail;
	timeline: TimelineEntry[];
	vehicles: VehicleSummary[];
	/** The customer's leads still open, for linking a new interaction. */
	openLeads: { id: string; stage: string; site: string | null }[];
}

/** A customer and everything that happened with them at any of the group's sites, newest first; null if unseen. */
export async function customerHistory(sql: Sql, id: string): Promise<CustomerHistory | null> {
	const { rows: found } = await sql.query<CustomerDetail>(
		`select c.id, c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone, c.postcode, c.city,
		   s.code as "firstSite", c.created_at as "createdAt"
		 from public.customers c left join public.sites s on s.id = c.first_site_id where c.id = $1`,
		[id]
	);
	const customer = found[0];
	if (!customer) return null;
	// One after the other: a transaction's client runs one query at a time.
	const interactions = await sql.query<Extract<TimelineEntry, { type: 'interaction' }>>(
		`select 'interaction' as type, i.id, i.occurred_at as at, i.kind, s.code as site, p.full_name as by, i.note,
		   i.vehicle_id as "vehicleId", i.lead_id as "leadId"
		 from public.customer_interactions i
		 left join public.sites s on s.id = i.site_id
		 left join public.profiles p on p.id = i.by_user_id
		 where i.customer_id = $1 order by i.occurred_at desc`,
		[id]
	);
	const leads = await sql.query<Extract<TimelineEntry, { type: 'lead' }> & { vehicleId: string | null }>(
		`select 'lead' as type, l.id, l.created_at as at, l.stage, s.code as site, p.full_name as assignee, l.source, l.message,
		   l.lost_reason as "lostReason", l.requested_vehicle_id as "vehicleId"
		 from public.leads l
		 left join public.sites s on s.id = l.site_id
		 left join public.profiles p on p.id = l.assigned_to
		 where l.customer_id = $1 order by l.created_at desc`,
		[id]
	);
	// The margin is the view's: null unless the person reads the selling site's margins.
	const quotes = await sql.query<Extract<TimelineEntry, { type: 'quote' }>>(
		`select 'quote' as type, q.id, q.created_at as at, q.number, s.code as site, q.vehicle_id as "vehicleId",
		   q.price_cents::float8 as "priceCents", q.status, qm.margin_cents::float8 as "marginCents"
		 from public.quotes q
		 left join public.quote_margins qm on qm.id = q.id
		 left join public.sites s on s.id = q.selling_site_id
		 where q.customer_id = $1 order by q.created_at desc`,
		[id]
	);
	const bought = new Set(quotes.rows.filter((q) => q.status === 'accepted').map((q) => q.vehicleId));
	const vehicleIds = [
		...new Set([
			...interactions.rows.map((i) => i.vehicleId),
			...leads.rows.map((l) => l.vehicleId),
			...quotes.rows.map((q) => q.vehicleId)
		])
	].filter((v): v is string => v !== null);
	const { rows: vehicles } = await sql.query<Omit<VehicleSummary, 'bought'>>(
		`select v.id, v.make || ' ' || v.model as label, v.vin, s.code as site
		 from public.vehicles v left join public.sites s on s.id = v.site_id
		 where v.id = any($1::uuid[])`,
		[vehicleIds]
	);
	const timeline = [...interactions.rows, ...leads.rows.map(({ vehicleId: _v, ...lead }) => lead), ...quotes.rows].sort(
		(x, y) => new Date(y.at).getTime() - new Date(x.at).getTime()
	);
	return {
		customer,
		timeline,
		// A vehicle the person may not see (another site's, without group stock) still counts by its id.
		vehicles: vehicleIds.map((vid) => {
			const v = vehicles.find((row) => row.id === vid);
			return { id: vid, label: v?.label ?? '', vin: v?.vin ?? null, site: v?.site ?? null, bought: bought.has(vid) };
		}),
		openLeads: leads.rows.filter((l) => l.stage !== 'delivered' && l.stage !== 'lost').map((l) => ({ id: l.id, stage: l.stage, site: l.site }))
	};
}

/** The sites where the person may record an interaction (their CRM sites). */
export async function interactionSites(sql: Sql): Promise<{ id: string; code: string; name: string }[]> {
	const { rows } = await sql.query<{ id: string; code: string; name: string }>(
		`select s.id, s.code, s.name from public.sites s where s.id in (select private.crm_site_ids()) and s.kind = 'dealership' order by s.code`
	);
	return rows;
}

// ─── writes ──────────────────────────────────────────────────────────────────────────────────

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.transform((v) => (v === '' ? null : v))
		.nullable()
		.optional();

/** Contact details; at least one way to reach the customer (the table's own rule). */
export function contactSchema(locale: Locale) {
	return z
		.object({
			firstName: optionalText(100),
			lastName: z.string().trim().min(1).max(100),
			email: z
				.union([z.literal(''), z.email().max(254)])
				.optional()
				.transform((v) => (v ? v : null)),
			phone: z
				.union([z.literal(''), z.string().trim().max(40).regex(/^\+?[0-9 ().-]{6,}$/, m.crm_cu_phone_invalid({}, { locale }))])
				.optional()
				.transform((v) => (v ? v : null)),
			postcode: z
				.union([z.literal(''), z.string().trim().regex(/^[0-9]{5}$/, m.crm_cu_postcode_invalid({}, { locale }))])
				.optional()
				.transform((v) => (v ? v : null)),
			city: optionalText(100)
		})
		.refine((c) => c.email !== null || c.phone !== null, { path: ['email'], message: m.crm_cu_reach_needed({}, { locale }) });
}

/** Saves a customer's contact details. */
export async function updateCustomer(sql: Sql, id: string, input: unknown, locale: Locale): Promise<void> {
	const c = parse(contactSchema(locale), input, locale);
	const { rowCount } = await sql.query(
		`update public.customers set first_name = $2, last_name = $3, email = $4, phone = $5, postcode = $6, city = $7 where id = $1`,
		[id, c.firstName ?? null, c.lastName, c.email, c.phone, c.postcode, c.city ?? null]
	);
	if (!rowCount) throw new CustomerError(404, { '': [m.crm_cu_not_found({}, { locale })] });
}

const interactionSchema = z.object({
	kind: z.enum(['visit', 'call', 'email', 'test_drive', 'quote', 'purchase']),
	siteId: z.guid(),
	note: optionalText(4000),
	vehicleId: z
		.union([z.literal(''), z.guid()])
		.optional()
		.transform((v) => v || null),
	leadId: z
		.union([z.literal(''), z.guid()])
		.optional()
		.transform((v) => v || null)
});

/** Records an interaction with the customer, as the signed-in person, at one of their CRM sites. */
export async function addInteraction(sql: Sql, customerId: string, input: unknown, locale: Locale): Promise<{ id: string }> {
	const v = parse(interactionSchema, input, locale);
	// The lead must be this customer's, and the vehicle one the person sees.
	if (v.leadId) {
		const { rows } = await sql.query(`select 1 from public.leads where id = $1 and customer_id = $2`, [v.leadId, customerId]);
		if (!rows[0]) throw new CustomerError(400, { leadId: [m.crm_cu_lead_unknown({}, { locale })] });
	}
	if (v.vehicleId) {
		const { rows } = await sql.query(`select 1 from public.vehicles where id = $1`, [v.vehicleId]);
		if (!rows[0]) throw new CustomerError(400, { vehicleId: [m.crm_cu_vehicle_unknown({}, { locale })] });
	}
	try {
		const { rows } = await sql.query<{ id: string }>(
			`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, lead_id, vehicle_id, note, by_user_id)
			 select c.organisation_id, c.id, $2, $3::public.interaction_kind, $4, $5, $6, auth.uid()
			 from public.customers c where c.id = $1
			 returning id`,
			[customerId, v.siteId, v.kind, v.leadId, v.vehicleId, v.note ?? null]
		);
		if (!rows[0]) throw new CustomerError(404, { '': [m.crm_cu_not_found({}, { locale })] });
		return rows[0];
	} catch (err) {
		// Row-level security: not one of the person's CRM sites.
		if ((err as { code?: string }).code === '42501') throw new CustomerError(403, { siteId: [m.crm_cu_site_forbidden({}, { locale })] });
		throw err;
	}
}

const mergeSchema = z.object({
	keepId: z.guid(),
	dropId: z.guid(),
	reason: optionalText(500)
});

/** Merges one customer record into another (public.merge_customers); the reason goes to the audit trail. */
export async function mergeCustomers(sql: Sql, input: unknown, locale: Locale): Promise<{ id: string }> {
	const v = parse(mergeSchema, input, locale);
	if (v.keepId === v.dropId) throw new CustomerError(400, { keepId: [m.crm_cu_merge_same({}, { locale })] });
	await sql.query(`select set_config('relais.reason', $1, true)`, [v.reason ?? m.crm_cu_merge_default_reason({}, { locale })]);
	try {
		const { rows } = await sql.query<{ id: string }>(`select public.merge_customers($1, $2) as id`, [v.keepId, v.dropId]);
		return rows[0];
	} catch (err) {
		const hint = (err as { hint?: string }).hint;
		const refusal = {
			customer_merge_same: [400, m.crm_cu_merge_same],
			customer_merge_not_found: [404, m.crm_cu_not_found],
			customer_merge_other_organisation: [400, m.crm_cu_merge_other_org],
			customer_merge_not_manager: [403, m.crm_cu_merge_not_manager],
			customer_merge_out_of_reach: [403, m.crm_cu_merge_out_of_reach]
		} as const;
		if (hint && hint in refusal) {
			const [status, text] = refusal[hint as keyof typeof refusal];
			throw new CustomerError(status, { '': [text({}, { locale })] });
		}
		throw err;
	}
}

// ─── who sees the screens ────────────────────────────────────────────────────────────────────

const crmRoles = new Set(['sales', 'site_manager', 'director', 'admin']);
const managerRoles = new Set(['site_manager', 'director', 'admin']);

/** Sells for the group (the screens' gate; RLS decides the rows). */
export const worksCrm = (user: Pick<SessionUser, 'roles'>) => user.roles.some((r) => crmRoles.has(r.role));
/** May merge (delete) customers and set the rules. */
export const managesCrm = (user: Pick<SessionUser, 'roles'>) => user.roles.some((r) => managerRoles.has(r.role));
