import { normaliseVehicleRef } from '$lib/domain/orders/vehicle-input';
import type { Sql } from '$lib/server/db/pool';

/** What the gate screens show before an action: the vehicle typed, the free bays, the suggestion. */

export interface GateVehicle {
	id: string;
	vin: string;
	plate: string | null;
	make: string;
	model: string;
	energy: string;
	status: string;
	mileageKm: number;
	clientName: string | null;
	bayId: string | null;
	bayNumber: string | null;
	/** Open orders with work for this vehicle at the site (a gate-out delivers one). */
	orders: { id: string; reference: string }[];
}

export interface FreeBay {
	id: string;
	number: string;
	zoneName: string;
	zoneKind: string;
}

/** The query as typed, read as a VIN or a plate (spaces and hyphens as people type them). */
export function readRef(q: string): { vin: string | null; plate: string | null } {
	const ref = normaliseVehicleRef(q);
	if (ref) return ref.kind === 'vin' ? { vin: ref.value, plate: null } : { vin: null, plate: ref.value };
	const compact = q.trim().toUpperCase().replace(/\s+/g, '-');
	return { vin: null, plate: /^[A-Z0-9-]{4,12}$/.test(compact) ? compact : null };
}

/** The vehicle of the site's organisation with this VIN or plate that the person sees, if any. */
export async function findGateVehicle(sql: Sql, siteId: string, q: string): Promise<GateVehicle | null> {
	const { vin, plate } = readRef(q);
	if (!vin && !plate) return null;
	const { rows } = await sql.query<GateVehicle>(
		`select v.id, v.vin, v.plate, v.make, v.model, v.energy, v.status, v.mileage_km as "mileageKm",
		        ca.name as "clientName", v.bay_id as "bayId", b.number as "bayNumber",
		        coalesce((select json_agg(json_build_object('id', o.id, 'reference', o.reference) order by o.deadline, o.reference)
		                  from public.orders o
		                  where o.status = 'open' and o.site_id = v.site_id
		                    and exists (select 1 from public.tasks t where t.order_id = o.id and t.vehicle_id = v.id)), '[]') as orders
		 from public.vehicles v
		 left join public.client_accounts ca on ca.id = v.client_account_id
		 left join public.bays b on b.id = v.bay_id
		 where v.site_id = $1 and (case when $2::text is not null then v.vin = $2 else v.plate = $3 end)
		 limit 1`,
		[siteId, vin, plate]
	);
	return rows[0] ?? null;
}

/** Free bays of the site by zone, nearest the entrance first. */
export async function freeBays(sql: Sql, siteId: string): Promise<FreeBay[]> {
	const { rows } = await sql.query<FreeBay>(
		`select b.id, b.number, z.name as "zoneName", z.kind as "zoneKind"
		 from public.bays b join public.yard_zones z on z.id = b.zone_id
		 where b.site_id = $1 and not exists (select 1 from public.vehicles v where v.bay_id = b.id)
		 order by z.name, b.rank, b.number`,
		[siteId]
	);
	return rows;
}

/** The bay public.suggest_bay proposes for the vehicle (or a new one), null when the yard is full. */
export async function suggestedBay(sql: Sql, siteId: string, vehicleId: string | null): Promise<string | null> {
	const { rows } = await sql.query<{ bay: string | null }>(`select public.suggest_bay($1, $2) as bay`, [siteId, vehicleId]);
	return rows[0].bay;
}

/** Client accounts a new vehicle may belong to (those the person reads, of the organisation). */
export async function clientChoices(sql: Sql): Promise<{ id: string; name: string }[]> {
	const { rows } = await sql.query<{ id: string; name: string }>(`select id, name from public.client_accounts order by name`);
	return rows;
}

/** What the gate screen confirms after an action: the vehicle, its bay, the photos sent; null if unseen. */
export async function recordedMovement(
	sql: Sql,
	movementId: string
): Promise<{ kind: 'gate_in' | 'gate_out' | 'bay_move'; plate: string | null; vin: string; bay: string | null; photos: number } | null> {
	if (!/^[0-9a-f-]{36}$/.test(movementId)) return null;
	const { rows } = await sql.query(
		`select m.kind, v.plate, v.vin, b.number as bay,
		        (select coalesce(sum(jsonb_array_length(i.photos)), 0)::int from public.inspections i where i.movement_id = m.id) as photos
		 from public.movements m join public.vehicles v on v.id = m.vehicle_id left join public.bays b on b.id = m.bay_id
		 where m.id = $1`,
		[movementId]
	);
	return rows[0] ?? null;
}
