import type { PriceListEntry } from '$lib/domain/orders/pricing';
import { splitOrder, type CatalogueService, type SplitErrorCode } from '$lib/domain/orders/split';
import { parseVehicleInput, type VehicleRefKind } from '$lib/domain/orders/vehicle-input';
import type { Sql } from '$lib/server/db/pool';

/**
 * Takes a client's order at a site: the pasted vehicles are found among those the person may
 * see, the chosen services are priced from the site's price list, and the order and its tasks
 * are written together. Runs inside the caller's transaction (`locals.db`), so an error thrown
 * by the database (a policy refusing a row) rolls everything back as well.
 */

export interface CreateOrderInput {
	siteId: string;
	clientAccountId: string;
	/** 'YYYY-MM-DD' */
	deadline: string;
	/** VINs and plates as pasted: one per line (or separated by commas, semicolons, tabs). */
	vehicles: string;
	/** Services applied to every vehicle of the order. */
	serviceIds: readonly string[];
}

export type OrderErrorCode =
	| 'invalid'
	| 'duplicate'
	| 'not_found'
	| 'other_client'
	| 'site_not_found'
	| Exclude<SplitErrorCode, 'duplicate_vehicle'>;

export interface OrderError {
	/** 1-based line of the paste the error is about; null for the order as a whole. */
	line: number | null;
	field: 'vehicles' | 'services' | 'siteId';
	code: OrderErrorCode;
	/** What was typed on that line, so the message can quote it. */
	input?: string;
	serviceId?: string;
}

export type CreateOrderResult = { ok: true; orderId: string; reference: string } | { ok: false; errors: OrderError[] };

interface FoundVehicle {
	id: string;
	vin: string;
	plate: string | null;
	client_account_id: string | null;
}

/** Vehicles named by VIN or plate, as far as row-level security lets the person see them. */
async function findVehicles(sql: Sql, refs: { kind: VehicleRefKind; value: string }[]): Promise<FoundVehicle[]> {
	const vins = refs.filter((r) => r.kind === 'vin').map((r) => r.value);
	const plates = refs.filter((r) => r.kind === 'plate').map((r) => r.value);
	const { rows } = await sql.query<FoundVehicle>(
		`select v.id, v.vin, v.plate, v.client_account_id
		 from public.vehicles v
		 where v.vin = any ($1::text[]) or v.plate = any ($2::text[])`,
		[vins, plates]
	);
	return rows;
}

/**
 * Each line becomes one vehicle of the client, or an error. A plate can outlive a vehicle (sold,
 * re-registered), so among several matches the client's own vehicle is the one meant.
 */
async function resolveVehicles(sql: Sql, text: string, clientAccountId: string) {
	const parsed = parseVehicleInput(text);
	const errors: OrderError[] = [];
	const refs = parsed.flatMap((l) => ('error' in l ? [] : [{ kind: l.kind, value: l.value }]));
	const found = refs.length > 0 ? await findVehicles(sql, refs) : [];
	/** The vehicle of each pasted token, by its index in `parsed`. */
	const vehicleIds = new Map<number, string>();
	parsed.forEach((l, index) => {
		if ('error' in l) {
			errors.push({ line: l.line, field: 'vehicles', code: l.error, input: l.input });
			return;
		}
		const matches = found.filter((v) => (l.kind === 'vin' ? v.vin === l.value : v.plate === l.value));
		const own = matches.find((v) => v.client_account_id === clientAccountId);
		if (own) vehicleIds.set(index, own.id);
		else errors.push({ line: l.line, field: 'vehicles', code: matches.length > 0 ? 'other_client' : 'not_found', input: l.input });
	});
	return { parsed, vehicleIds, errors };
}

async function loadCatalogue(sql: Sql, siteId: string) {
	const services = await sql.query<CatalogueService>(
		`select id, site_id as "siteId", default_minutes as "defaultMinutes", active from public.services where site_id = $1`,
		[siteId]
	);
	const prices = await sql.query<PriceListEntry>(
		`select id, site_id as "siteId", service_id as "serviceId", client_account_id as "clientAccountId",
		        unit_price_cents as "unitPriceCents", valid_from::text as "validFrom", valid_to::text as "validTo"
		 from public.prices where site_id = $1`,
		[siteId]
	);
	return { services: services.rows, prices: prices.rows };
}

/** The site's calendar day (its prices apply on that day), or null if the site is not visible. */
async function siteToday(sql: Sql, siteId: string): Promise<string | null> {
	const { rows } = await sql.query<{ today: string }>(
		`select (now() at time zone timezone)::date::text as today from public.sites where id = $1`,
		[siteId]
	);
	return rows[0]?.today ?? null;
}

/**
 * CMD-YYYY-NNNN, numbered per site and year. The transaction-scoped advisory lock makes two
 * orders taken at the same moment at one site wait for each other instead of colliding on the
 * unique reference.
 */
async function nextReference(sql: Sql, siteId: string, year: string): Promise<string> {
	await sql.query(`select pg_advisory_xact_lock(hashtext('orders.reference:' || $1))`, [siteId]);
	const prefix = `CMD-${year}-`;
	const { rows } = await sql.query<{ last: number | null }>(
		`select max(substring(reference from '^CMD-\\d{4}-(\\d+)$')::int) as last
		 from public.orders where site_id = $1 and reference like $2`,
		[siteId, `${prefix}%`]
	);
	return `${prefix}${String((rows[0]?.last ?? 0) + 1).padStart(4, '0')}`;
}

/**
 * A service problem is the same on every vehicle (the services apply to all of them), so it is
 * reported once, on the services, not once per line.
 */
function serviceErrors(errors: { code: SplitErrorCode; serviceId?: string }[]): OrderError[] {
	const seen = new Set<string>();
	const out: OrderError[] = [];
	for (const e of errors) {
		if (e.code === 'duplicate_vehicle') continue;
		const key = `${e.code}:${e.serviceId ?? ''}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({ line: null, field: e.code === 'no_vehicles' ? 'vehicles' : 'services', code: e.code, serviceId: e.serviceId });
	}
	return out;
}

export async function createOrder(sql: Sql, input: CreateOrderInput): Promise<CreateOrderResult> {
	const today = await siteToday(sql, input.siteId);
	if (!today) return { ok: false, errors: [{ line: null, field: 'siteId', code: 'site_not_found' }] };

	const { parsed, vehicleIds, errors } = await resolveVehicles(sql, input.vehicles, input.clientAccountId);
	const { services, prices } = await loadCatalogue(sql, input.siteId);
	// Every pasted token is split, found or not (its index as its ref), so the services are
	// checked too and every problem is reported in one pass.
	const split = splitOrder({
		siteId: input.siteId,
		clientAccountId: input.clientAccountId,
		orderedOn: today,
		vehicles: parsed.map((_, index) => ({ ref: String(index), services: input.serviceIds })),
		services,
		prices
	});
	if (!split.ok) errors.push(...serviceErrors(split.errors));
	if (errors.length > 0 || !split.ok) return { ok: false, errors };

	const reference = await nextReference(sql, input.siteId, today.slice(0, 4));
	const { rows } = await sql.query<{ id: string }>(
		`insert into public.orders (site_id, client_account_id, reference, deadline)
		 values ($1, $2, $3, $4) returning id`,
		[input.siteId, input.clientAccountId, reference, input.deadline]
	);
	const orderId = rows[0].id;
	await sql.query(
		`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents)
		 select $1, $2, $3, t.vehicle_id, t.service_id, t.minutes, t.price
		 from unnest($4::uuid[], $5::uuid[], $6::int[], $7::int[]) as t (vehicle_id, service_id, minutes, price)`,
		[
			input.siteId,
			input.clientAccountId,
			orderId,
			split.tasks.map((t) => vehicleIds.get(Number(t.vehicleRef))),
			split.tasks.map((t) => t.serviceId),
			split.tasks.map((t) => t.estimatedMinutes),
			split.tasks.map((t) => t.priceCents)
		]
	);
	return { ok: true, orderId, reference };
}
