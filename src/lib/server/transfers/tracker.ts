import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import { transferStatuses, type TransferStatus } from '$lib/components/transfers/status';
import { routeBetween } from './route';

/**
 * The tracker: transfers in flight with where they go on a map, how far and when they should
 * arrive, read as the person (RLS decides which transfers and sites they see).
 */

/** The average speed the arrival is estimated with, pick-up included. */
export const AVERAGE_KMH = 70;

/**
 * The tracker's filters from the query string. A filter that does not parse is dropped rather
 * than refused: URLs are typed by hand and outlive the sites they name.
 */
const querySchema = z.object({
	// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
	site: z.guid().optional().catch(undefined),
	status: z.enum(transferStatuses).optional().catch(undefined)
});
export type TrackerQuery = z.output<typeof querySchema>;

export function parseTrackerQuery(params: URLSearchParams): TrackerQuery {
	return querySchema.parse({ site: params.get('site') || undefined, status: params.get('status') || undefined });
}

export interface TrackerSite {
	id: string;
	code: string;
	name: string;
	lat: number;
	lon: number;
}

export interface TrackedTransfer {
	id: string;
	status: TransferStatus;
	reason: string;
	plate: string | null;
	vin: string;
	vehicle: string;
	fromSiteId: string;
	toSiteId: string | null;
	from: string;
	/** The receiving site's name, or null for a delivery to a client's address. */
	to: string | null;
	deliveryAddress: string | null;
	driverName: string | null;
	/** Null when the destination has no coordinates (a client's address): listed, not drawn. */
	km: number | null;
	coordinates: [number, number][] | null;
	pickedUpAt: string | null;
	deliveredAt: string | null;
	/** Picked up and not delivered yet: pick-up time + km at AVERAGE_KMH. */
	etaAt: string | null;
	/** Not picked up yet: the time on the road once it leaves, in minutes. */
	driveMinutes: number | null;
}

export interface TransferEvent {
	transferId: string;
	status: string;
	note: string | null;
	at: string;
	actor: string | null;
}

/** When a vehicle picked up at `pickedUpAt` should arrive after `km` at the average speed. */
export function estimatedArrival(pickedUpAt: Date, km: number): Date {
	return new Date(pickedUpAt.getTime() + (km / AVERAGE_KMH) * 3_600_000);
}

export const driveMinutes = (km: number): number => Math.round((km / AVERAGE_KMH) * 60);

/** The sites the person may see, as points. */
export async function trackerSites(sql: Sql): Promise<TrackerSite[]> {
	const { rows } = await sql.query<TrackerSite>(`select id, code, name, latitude as lat, longitude as lon from public.sites order by name`);
	return rows;
}

interface Row extends Omit<TrackedTransfer, 'km' | 'coordinates' | 'etaAt' | 'driveMinutes' | 'pickedUpAt' | 'deliveredAt'> {
	fromLat: number;
	fromLon: number;
	toLat: number | null;
	toLon: number | null;
	pickedUpAt: Date | null;
	deliveredAt: Date | null;
}

const SELECT = `select t.id, t.status, t.reason, v.plate, v.vin, v.make || ' ' || v.model as vehicle,
		        t.from_site_id as "fromSiteId", t.to_site_id as "toSiteId", fs.name as "from", ts.name as "to",
		        t.delivery_address as "deliveryAddress", dp.full_name as "driverName",
		        fs.latitude as "fromLat", fs.longitude as "fromLon", ts.latitude as "toLat", ts.longitude as "toLon",
		        (select max(e.occurred_at) from public.transfer_events e where e.transfer_id = t.id and e.status = 'picked_up') as "pickedUpAt",
		        (select max(e.occurred_at) from public.transfer_events e where e.transfer_id = t.id and e.status = 'delivered') as "deliveredAt"
		 from public.transfers t
		 -- The vehicle's facts for both sites, wherever it stands (migration 20261203000700).
		 cross join lateral private.transferred_vehicle(t.id) v
		 join public.sites fs on fs.id = t.from_site_id
		 left join public.sites ts on ts.id = t.to_site_id
		 left join public.profiles dp on dp.id = t.driver_id`;

function tracked({ fromLat, fromLon, toLat, toLon, pickedUpAt, deliveredAt, ...t }: Row): TrackedTransfer {
	const route = toLat === null || toLon === null ? null : routeBetween({ lat: fromLat, lon: fromLon }, { lat: toLat, lon: toLon });
	const onTheRoad = t.status === 'picked_up' || t.status === 'in_transit';
	return {
		...t,
		km: route?.km ?? null,
		coordinates: route?.coordinates ?? null,
		pickedUpAt: pickedUpAt?.toISOString() ?? null,
		deliveredAt: deliveredAt?.toISOString() ?? null,
		etaAt: route && onTheRoad && pickedUpAt ? estimatedArrival(pickedUpAt, route.km).toISOString() : null,
		driveMinutes: route && !pickedUpAt ? driveMinutes(route.km) : null
	};
}

/** Transfers in flight (neither received nor cancelled), most recently moved first. */
export async function trackedTransfers(sql: Sql, query: TrackerQuery): Promise<TrackedTransfer[]> {
	const { rows } = await sql.query<Row>(
		`${SELECT}
		 where t.status not in ('received', 'cancelled')
		   and ($1::uuid is null or t.from_site_id = $1 or t.to_site_id = $1)
		   and ($2::text is null or t.status::text = $2)
		 order by t.updated_at desc
		 limit 200`,
		[query.site ?? null, query.status ?? null]
	);
	return rows.map(tracked);
}

/** One transfer at any status, or null when the person may not see it. */
export async function trackedTransfer(sql: Sql, id: string): Promise<TrackedTransfer | null> {
	const { rows } = await sql.query<Row>(`${SELECT} where t.id = $1`, [id]);
	return rows[0] ? tracked(rows[0]) : null;
}

/** The steps of these transfers, oldest first: status, who, when, why. */
export async function transferEvents(sql: Sql, ids: string[]): Promise<TransferEvent[]> {
	if (ids.length === 0) return [];
	const { rows } = await sql.query<Omit<TransferEvent, 'at'> & { at: Date }>(
		`select e.transfer_id as "transferId", e.status, e.note, e.occurred_at as at, p.full_name as actor
		 from public.transfer_events e left join public.profiles p on p.id = e.actor_id
		 where e.transfer_id = any($1::uuid[])
		 order by e.occurred_at, e.status`,
		[ids]
	);
	return rows.map((e) => ({ ...e, at: e.at.toISOString() }));
}
