import type { Sql } from '$lib/server/db/pool';
import type { TaskStatus, VehicleStatus } from '$lib/components/labels';
import type { OrderStatus } from '$lib/server/orders/list-orders';

/** One order with its vehicles and their tasks, read as the signed-in person (RLS decides). */

export interface OrderHeader {
	id: string;
	reference: string;
	clientName: string;
	clientColour: string;
	siteName: string;
	deadline: string;
	status: OrderStatus;
	createdBy: string | null;
	createdAt: string;
	/** The site's own calendar day, against which the deadline and planned days are read. */
	today: string;
}

export interface OrderTask {
	id: string;
	status: TaskStatus;
	plannedOn: string | null;
	service: string;
}

export interface OrderVehicle {
	id: string;
	plate: string | null;
	vin: string;
	make: string;
	model: string;
	status: VehicleStatus;
	hasGateIn: boolean;
	hasGateOut: boolean;
	tasks: OrderTask[];
}

export async function readOrder(sql: Sql, orderId: string): Promise<OrderHeader | null> {
	const { rows } = await sql.query<OrderHeader>(
		`select o.id, o.reference, c.name as "clientName", c.colour as "clientColour", s.name as "siteName",
		        o.deadline::text as deadline, o.status, p.full_name as "createdBy", o.created_at::text as "createdAt",
		        (now() at time zone s.timezone)::date::text as today
		 from public.orders o
		 join public.sites s on s.id = o.site_id
		 join public.client_accounts c on c.id = o.client_account_id
		 left join public.profiles p on p.id = o.created_by
		 where o.id = $1`,
		[orderId]
	);
	return rows[0] ?? null;
}

/** The order's vehicles by plate, each with its tasks and whether it went through the gate. */
export async function readOrderVehicles(sql: Sql, orderId: string, locale: 'fr' | 'en'): Promise<OrderVehicle[]> {
	const { rows } = await sql.query<OrderTask & { vehicleId: string; plate: string | null; vin: string; make: string; model: string; vehicleStatus: VehicleStatus; hasGateIn: boolean; hasGateOut: boolean }>(
		`select t.id, t.status, t.planned_on::text as "plannedOn",
		        case when $2 = 'en' then sv.name_en else sv.name_fr end as service,
		        v.id as "vehicleId", v.plate, v.vin, v.make, v.model, v.status as "vehicleStatus",
		        exists (select 1 from public.movements mv where mv.vehicle_id = v.id and mv.site_id = t.site_id and mv.kind = 'gate_in'
		                  and mv.occurred_at >= o.created_at) as "hasGateIn",
		        exists (select 1 from public.movements mv where mv.vehicle_id = v.id and mv.site_id = t.site_id and mv.kind = 'gate_out'
		                  and mv.occurred_at >= o.created_at) as "hasGateOut"
		 from public.tasks t
		 join public.orders o on o.id = t.order_id
		 join public.vehicles v on v.id = t.vehicle_id
		 join public.services sv on sv.id = t.service_id
		 where t.order_id = $1
		 order by v.plate nulls last, v.vin, sv.name_fr, t.id`,
		[orderId, locale]
	);
	const vehicles = new Map<string, OrderVehicle>();
	for (const r of rows) {
		let vehicle = vehicles.get(r.vehicleId);
		if (!vehicle) {
			vehicle = {
				id: r.vehicleId,
				plate: r.plate,
				vin: r.vin,
				make: r.make,
				model: r.model,
				status: r.vehicleStatus,
				hasGateIn: r.hasGateIn,
				hasGateOut: r.hasGateOut,
				tasks: []
			};
			vehicles.set(r.vehicleId, vehicle);
		}
		vehicle.tasks.push({ id: r.id, status: r.status, plannedOn: r.plannedOn, service: r.service });
	}
	return [...vehicles.values()];
}
