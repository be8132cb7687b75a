import type { Sql } from '$lib/server/db/pool';
import { summariseOrders, type OrderProgress, type PortalTaskRow } from './progress';

export interface PortalOrder extends OrderProgress {
	id: string;
	reference: string;
	deadline: string;
	/** Days from the site's today to the deadline (negative when late). */
	daysLeft: number;
	siteName: string;
	clientName: string;
	clientColour: string;
}

export interface PortalTask extends PortalTaskRow {
	id: string;
}

/** The tasks of some orders as a client may see them (no prices, no notes), vehicle by vehicle. */
export async function portalTasks(sql: Sql, orderIds: string[], locale: 'fr' | 'en'): Promise<PortalTask[]> {
	const { rows } = await sql.query(
		`select t.id, t.order_id, t.vehicle_id, t.status,
		        case when $2 = 'en' then sv.name_en else sv.name_fr end as service,
		        v.plate, v.make, v.model, v.status as vehicle_status
		 from public.tasks t
		 left join public.vehicles v on v.id = t.vehicle_id
		 left join public.services sv on sv.id = t.service_id
		 where t.order_id = any ($1::uuid[])
		 order by v.plate nulls last, t.vehicle_id, sv.name_fr, t.id`,
		[orderIds, locale]
	);
	return rows.map((t) => ({
		id: t.id,
		orderId: t.order_id,
		vehicleId: t.vehicle_id,
		status: t.status,
		service: t.service,
		plate: t.plate,
		make: t.make,
		model: t.model,
		vehicleStatus: t.vehicle_status
	}));
}

/**
 * A client's open orders with their progress, read as the client: row-level security keeps
 * every other account out. Only what a client may be shown is selected (no prices, no notes).
 * Array.prototype.sort is stable, so the deadline order holds within each group.
 */
export async function openOrders(sql: Sql, locale: 'fr' | 'en'): Promise<PortalOrder[]> {
	const { rows: orders } = await sql.query(
		`select o.id, o.reference, o.deadline::text as deadline,
		        (o.deadline - (now() at time zone s.timezone)::date)::int as days_left,
		        s.name as site_name, ca.name as client_name, ca.colour as client_colour
		 from public.orders o
		 join public.sites s on s.id = o.site_id
		 join public.client_accounts ca on ca.id = o.client_account_id
		 where o.status = 'open'
		 order by o.deadline, o.reference`
	);
	if (orders.length === 0) return [];

	const progress = summariseOrders(await portalTasks(sql, orders.map((o) => o.id), locale));
	const summaries: PortalOrder[] = orders.map((o) => ({
		id: o.id,
		reference: o.reference,
		deadline: o.deadline,
		daysLeft: o.days_left,
		siteName: o.site_name,
		clientName: o.client_name,
		clientColour: o.client_colour,
		...(progress.get(o.id) ?? { counts: { todo: 0, planned: 0, in_progress: 0, done: 0 }, done: 0, total: 0, vehicles: [] })
	}));
	// Orders with work left come first (by deadline); finished ones wait for delivery below.
	const finished = (o: PortalOrder) => o.total > 0 && o.done === o.total;
	return summaries.sort((a, b) => Number(finished(a)) - Number(finished(b)));
}
