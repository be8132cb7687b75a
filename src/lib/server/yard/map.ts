import type { Sql } from '$lib/server/db/pool';
import {
	occupancy,
	type Layout,
	type Polygon,
	type VehicleCard,
	type YardClient,
	type YardVehicle,
	type ZoneKind,
	type ZoneOccupancy
} from '$lib/domain/yard/map';

export interface YardSite {
	id: string;
	name: string;
	latitude: number;
	longitude: number;
	/** An optional raster image drawn under the plan (sites.settings.yard_background_url). */
	backgroundUrl: string | null;
}

export interface YardMap {
	site: YardSite;
	layout: Layout;
	vehicles: YardVehicle[];
	clients: YardClient[];
	occupancy: ZoneOccupancy[];
	/** Vehicles on site that no bay holds (arrived and not parked yet). */
	unparked: number;
}

/**
 * Everything the yard map of one site draws, read as the person (RLS decides: someone who may
 * not see the site gets null). Zones and bays go out as one FeatureCollection, vehicles as a
 * light list of the ones in a bay.
 */
export async function yardMap(sql: Sql, siteId: string): Promise<YardMap | null> {
	const site = await sql.query<YardSite>(
		`select id, name, latitude, longitude, nullif(settings ->> 'yard_background_url', '') as "backgroundUrl"
		 from public.sites where id = $1`,
		[siteId]
	);
	if (!site.rows[0]) return null;
	const [zoneRows, bayRows, vehicles, clients, unparked] = [
		await sql.query<{ id: string; code: string; name: string; kind: ZoneKind; geometry: Polygon }>(
			`select id, code, name, kind, geometry from public.yard_zones where site_id = $1
			 order by (select min(rank) from public.bays b where b.zone_id = yard_zones.id) nulls last, code`,
			[siteId]
		),
		await sql.query<{ id: string; number: string; zoneId: string; geometry: Polygon }>(
			`select id, number, zone_id as "zoneId", geometry from public.bays where site_id = $1 order by rank, number`,
			[siteId]
		),
		await sql.query<YardVehicle>(
			`select v.id, v.bay_id as "bayId", v.plate, v.vin, v.make || ' ' || v.model as label, v.status, v.client_account_id as "clientId"
			 from public.vehicles v join public.bays b on b.id = v.bay_id
			 where v.site_id = $1 and b.site_id = $1
			 order by v.plate nulls last, v.vin`,
			[siteId]
		),
		await sql.query<YardClient>(
			`select c.id, c.name, c.colour from public.client_accounts c
			 where c.id in (select client_account_id from public.vehicles where site_id = $1 and bay_id is not null)
			 order by c.name`,
			[siteId]
		),
		await sql.query<{ n: number }>(
			`select count(*)::int as n from public.vehicles
			 where site_id = $1 and bay_id is null and status in ('on_site', 'in_service', 'ready', 'in_stock', 'reserved')`,
			[siteId]
		)
	];
	const layout: Layout = {
		type: 'FeatureCollection',
		features: [
			...zoneRows.rows.map(({ geometry, ...z }) => ({ type: 'Feature' as const, properties: { layer: 'zone' as const, ...z }, geometry })),
			...bayRows.rows.map(({ geometry, ...b }) => ({ type: 'Feature' as const, properties: { layer: 'bay' as const, ...b }, geometry }))
		]
	};
	return {
		site: site.rows[0],
		layout,
		vehicles: vehicles.rows,
		clients: clients.rows,
		occupancy: occupancy(layout, vehicles.rows),
		unparked: unparked.rows[0].n
	};
}


/** What the map's side sheet says about one vehicle, read as the person. */
export async function vehicleCard(sql: Sql, vehicleId: string, locale: 'fr' | 'en'): Promise<VehicleCard | null> {
	const { rows } = await sql.query<Omit<VehicleCard, 'orders' | 'openTasks'>>(
		`select v.id, v.plate, v.vin, v.make, v.model, v.colour, v.status, c.name as client, b.number as bay, z.name as zone,
		        (select max(i.created_at) from public.inspections i where i.vehicle_id = v.id) as "lastInspectionAt",
		        (select i.id from public.inspections i where i.vehicle_id = v.id order by i.created_at desc limit 1) as "lastInspectionId",
		        (select coalesce(sum(jsonb_array_length(i.photos)), 0)::int from public.inspections i where i.vehicle_id = v.id) as photos
		 from public.vehicles v
		 left join public.client_accounts c on c.id = v.client_account_id
		 left join public.bays b on b.id = v.bay_id
		 left join public.yard_zones z on z.id = b.zone_id
		 where v.id = $1`,
		[vehicleId]
	);
	if (!rows[0]) return null;
	const orders = await sql.query<VehicleCard['orders'][number]>(
		`select o.id, o.reference, to_char(o.deadline, 'YYYY-MM-DD') as deadline
		 from public.orders o
		 where o.status = 'open' and exists (select 1 from public.tasks t where t.order_id = o.id and t.vehicle_id = $1)
		 order by o.deadline, o.reference`,
		[vehicleId]
	);
	const openTasks = await sql.query<VehicleCard['openTasks'][number]>(
		`select t.id, case when $2 = 'en' then s.name_en else s.name_fr end as service, t.status,
		        to_char(t.planned_on, 'YYYY-MM-DD') as "plannedOn"
		 from public.tasks t join public.services s on s.id = t.service_id
		 where t.vehicle_id = $1 and t.status in ('todo', 'planned', 'in_progress')
		 order by t.planned_on nulls last, s.code`,
		[vehicleId, locale]
	);
	return { ...rows[0], orders: orders.rows, openTasks: openTasks.rows };
}
