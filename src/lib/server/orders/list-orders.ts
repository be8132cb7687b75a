import type { PriceListEntry } from '$lib/domain/orders/pricing';
import type { Sql } from '$lib/server/db/pool';

/** Reading orders and what an order form offers, as the signed-in person (RLS decides). */

export const orderStatuses = ['open', 'closed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export interface OrderFilters {
	clientAccountId?: string;
	status?: OrderStatus;
	/** 'YYYY-MM-DD': deadlines strictly before that day. */
	deadlineBefore?: string;
}

export interface OrderRow {
	id: string;
	reference: string;
	clientName: string;
	clientColour: string;
	deadline: string;
	status: OrderStatus;
	/** Open, past its deadline in the site's own calendar, and with work still to do. */
	late: boolean;
	tasksDone: number;
	/** Cancelled tasks are not work to do, so they count in neither figure. */
	tasksTotal: number;
}

export interface ClientOption {
	id: string;
	name: string;
	colour: string;
}

export interface ServiceOption {
	id: string;
	name: string;
	defaultMinutes: number;
}

export async function listOrders(sql: Sql, siteId: string, filters: OrderFilters): Promise<OrderRow[]> {
	const { rows } = await sql.query<OrderRow>(
		`select o.id, o.reference, c.name as "clientName", c.colour as "clientColour", o.deadline::text as deadline, o.status,
		        (o.status = 'open' and o.deadline < (now() at time zone s.timezone)::date
		         and count(t.id) filter (where t.status not in ('done', 'validated', 'cancelled')) > 0) as late,
		        count(t.id) filter (where t.status in ('done', 'validated'))::int as "tasksDone",
		        count(t.id) filter (where t.status <> 'cancelled')::int as "tasksTotal"
		 from public.orders o
		 join public.sites s on s.id = o.site_id
		 join public.client_accounts c on c.id = o.client_account_id
		 left join public.tasks t on t.order_id = o.id
		 where o.site_id = $1
		   and ($2::uuid is null or o.client_account_id = $2)
		   and ($3::text is null or o.status = $3)
		   and ($4::date is null or o.deadline < $4)
		 group by o.id, s.timezone, c.name, c.colour
		 order by o.status <> 'open', o.deadline, o.reference
		 limit 300`,
		[siteId, filters.clientAccountId ?? null, filters.status ?? null, filters.deadlineBefore ?? null]
	);
	return rows;
}

/** Client accounts of the organisation the person may see, to order for or to filter by. */
export async function listClientAccounts(sql: Sql): Promise<ClientOption[]> {
	const { rows } = await sql.query<ClientOption>(`select id, name, colour from public.client_accounts order by name`);
	return rows;
}

/** What can be ordered at a site: its active services, named in the reader's language. */
export async function listActiveServices(sql: Sql, siteId: string, locale: 'fr' | 'en'): Promise<ServiceOption[]> {
	const { rows } = await sql.query<ServiceOption>(
		`select id, case when $2 = 'en' then name_en else name_fr end as name, default_minutes as "defaultMinutes"
		 from public.services where site_id = $1 and active order by name`,
		[siteId, locale]
	);
	return rows;
}

export interface OrderCatalogue {
	services: (ServiceOption & { code: string })[];
	/** The site's prices the person may read (for a client: the general ones and their own). */
	prices: PriceListEntry[];
	/** The site's calendar day, whose prices apply; null when the site is not visible. */
	today: string | null;
}

/** What an order form at a site needs to show each service with the price that applies. */
export async function orderCatalogue(sql: Sql, siteId: string, locale: 'fr' | 'en'): Promise<OrderCatalogue> {
	const { rows: services } = await sql.query<ServiceOption & { code: string }>(
		`select id, code, case when $2 = 'en' then name_en else name_fr end as name, default_minutes as "defaultMinutes"
		 from public.services where site_id = $1 and active order by name`,
		[siteId, locale]
	);
	const { rows: prices } = await sql.query<PriceListEntry>(
		`select id, site_id as "siteId", service_id as "serviceId", client_account_id as "clientAccountId",
		        unit_price_cents as "unitPriceCents", valid_from::text as "validFrom", valid_to::text as "validTo"
		 from public.prices where site_id = $1`,
		[siteId]
	);
	const { rows } = await sql.query<{ today: string }>(
		`select (now() at time zone timezone)::date::text as today from public.sites where id = $1`,
		[siteId]
	);
	return { services, prices, today: rows[0]?.today ?? null };
}

export interface SiteOption {
	id: string;
	name: string;
}

/**
 * The sites a client account works with: where it has vehicles or orders, or prices of its own.
 * Read as the client, so row-level security keeps it to the account's own rows.
 */
export async function clientSites(sql: Sql, clientAccountId: string): Promise<SiteOption[]> {
	const { rows } = await sql.query<SiteOption>(
		`select s.id, s.name from public.sites s
		 where exists (select 1 from public.orders o where o.site_id = s.id and o.client_account_id = $1)
		    or exists (select 1 from public.vehicles v where v.site_id = s.id and v.client_account_id = $1)
		    or exists (select 1 from public.prices p where p.site_id = s.id and p.client_account_id = $1)
		 order by s.name`,
		[clientAccountId]
	);
	return rows;
}
