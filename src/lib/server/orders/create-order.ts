import type { PriceListEntry } from '$lib/domain/orders/pricing';
import { splitOrder, type CatalogueService, type SplitErrorCode } from '$lib/domain/orders/split';
import { parseOrderCsv, type CsvFileError, type CsvRowError, type Energy } from '$lib/domain/orders/order-csv';
import { parseVehicleInput, type VehicleRef } from '$lib/domain/orders/vehicle-input';
import { servicesForVehicle, vehicleKey, type ServiceCode } from '$lib/domain/orders/vehicle-services';
import type { Sql } from '$lib/server/db/pool';

/**
 * Takes a client's order at a site, for the back office and the client portal alike: the
 * vehicles are found among those the person may see (or registered when a file brings a new
 * VIN with its make and model), each vehicle's services are priced from the site's price list
 * as it applies to the client, and vehicles, order and tasks are written together. Runs inside
 * the caller's transaction (`locals.db`), so an error thrown by the database (a policy refusing
 * a row) rolls everything back as well.
 */

export interface CreateOrderInput {
	siteId: string;
	clientAccountId: string;
	/** 'YYYY-MM-DD' */
	deadline: string;
	/** VINs and plates as pasted: one per line (or separated by commas, semicolons, tabs). */
	vehicles?: string;
	/** A CSV file's text (see domain/orders/order-csv.ts); used instead of `vehicles`. */
	csv?: string;
	/** Services applied to every vehicle without a choice of its own. */
	serviceIds: readonly string[];
	/** A vehicle's own services, by `vehicleKey` (the grid of the order form). */
	servicesByVehicle?: Readonly<Record<string, readonly string[]>>;
}

export type OrderErrorCode =
	| 'invalid'
	| 'duplicate'
	| 'not_found'
	| 'other_client'
	| 'site_not_found'
	/** A VIN nobody registered, without the make and model to register it. */
	| 'unknown_vin'
	/** The VIN belongs to a vehicle the person may not see (another client's, another site's). */
	| 'vin_taken'
	| 'unknown_service_code'
	| 'both_inputs'
	| `csv_${CsvFileError}`
	| Exclude<CsvRowError, 'duplicate'>
	| Exclude<SplitErrorCode, 'duplicate_vehicle'>;

export interface OrderError {
	/** 1-based line of the paste (or row of the file) the error is about; null for the order as a whole. */
	line: number | null;
	field: 'vehicles' | 'csv' | 'services' | 'siteId';
	code: OrderErrorCode;
	/** What was typed on that line, so the message can quote it. */
	input?: string;
	serviceId?: string;
	/** The value at fault within the line (a service code, an energy). */
	detail?: string;
}

export type CreateOrderResult =
	| { ok: true; orderId: string; reference: string; createdVehicles: number }
	| { ok: false; errors: OrderError[] };

interface FoundVehicle {
	id: string;
	vin: string;
	plate: string | null;
	client_account_id: string | null;
}

/** One vehicle of the order, from a pasted token or a CSV row, whatever its source. */
interface IntakeLine {
	line: number;
	input: string;
	field: 'vehicles' | 'csv';
	ref: VehicleRef;
	plate: string | null;
	make: string | null;
	model: string | null;
	energy: Energy | null;
	fileCodes: string[] | null;
}

/** Vehicles named by VIN or plate, as far as row-level security lets the person see them. */
async function findVehicles(sql: Sql, lines: IntakeLine[]): Promise<FoundVehicle[]> {
	const vins = lines.filter((l) => l.ref.kind === 'vin').map((l) => l.ref.value);
	const plates = lines.flatMap((l) => (l.ref.kind === 'plate' ? [l.ref.value] : []));
	if (vins.length === 0 && plates.length === 0) return [];
	const { rows } = await sql.query<FoundVehicle>(
		`select v.id, v.vin, v.plate, v.client_account_id
		 from public.vehicles v
		 where v.vin = any ($1::text[]) or v.plate = any ($2::text[])`,
		[vins, plates]
	);
	return rows;
}

/** The pasted text or the CSV file as intake lines, and what could not be read. */
function readInput(input: CreateOrderInput): { lines: IntakeLine[]; errors: OrderError[] } {
	const lines: IntakeLine[] = [];
	const errors: OrderError[] = [];
	const pasted = input.vehicles?.trim() ?? '';
	const csv = input.csv?.trim() ?? '';
	if (pasted && csv) return { lines, errors: [{ line: null, field: 'vehicles', code: 'both_inputs' }] };
	if (csv) {
		const file = parseOrderCsv(input.csv!);
		if (!file.ok) return { lines, errors: [{ line: null, field: 'csv', code: `csv_${file.error}` }] };
		for (const row of file.lines) {
			if (!row.ok) {
				errors.push({ line: row.line, field: 'csv', code: row.error === 'duplicate' ? 'duplicate' : row.error, input: row.input, detail: row.detail });
				continue;
			}
			const ref: VehicleRef = row.vin ? { kind: 'vin', value: row.vin } : { kind: 'plate', value: row.plate! };
			lines.push({ line: row.line, input: row.input, field: 'csv', ref, plate: row.plate, make: row.make, model: row.model, energy: row.energy, fileCodes: row.serviceCodes });
		}
		return { lines, errors };
	}
	for (const token of parseVehicleInput(pasted)) {
		if ('error' in token) {
			errors.push({ line: token.line, field: 'vehicles', code: token.error, input: token.input });
			continue;
		}
		const ref = { kind: token.kind, value: token.value };
		lines.push({ line: token.line, input: token.input, field: 'vehicles', ref, plate: token.kind === 'plate' ? token.value : null, make: null, model: null, energy: null, fileCodes: null });
	}
	return { lines, errors };
}

/**
 * Each line becomes a vehicle of the client, a vehicle to register, or an error. A plate can
 * outlive a vehicle (sold, re-registered), so among several matches the client's own vehicle is
 * the one meant. An unknown VIN with its make and model is a new vehicle the client sends to the
 * hub; an unknown plate alone names nothing.
 */
function matchVehicles(lines: IntakeLine[], found: FoundVehicle[], clientAccountId: string) {
	const errors: OrderError[] = [];
	const vehicleIds = new Map<number, string>();
	const toRegister: number[] = [];
	lines.forEach((l, index) => {
		const matches = found.filter((v) => (l.ref.kind === 'vin' ? v.vin === l.ref.value : v.plate === l.ref.value));
		const own = matches.find((v) => v.client_account_id === clientAccountId);
		const fail = (code: OrderErrorCode) => errors.push({ line: l.line, field: l.field, code, input: l.input });
		// A plate and a VIN may name the same vehicle: it would get its services twice.
		if (own && [...vehicleIds.values()].includes(own.id)) fail('duplicate');
		else if (own) vehicleIds.set(index, own.id);
		else if (matches.length > 0) fail('other_client');
		else if (l.ref.kind === 'plate') fail('not_found');
		else if (l.make && l.model) toRegister.push(index);
		else fail('unknown_vin');
	});
	return { vehicleIds, toRegister, errors };
}

async function loadCatalogue(sql: Sql, siteId: string) {
	const services = await sql.query<CatalogueService & ServiceCode>(
		`select id, code, site_id as "siteId", default_minutes as "defaultMinutes", active from public.services where site_id = $1`,
		[siteId]
	);
	const prices = await sql.query<PriceListEntry>(
		`select id, site_id as "siteId", service_id as "serviceId", client_account_id as "clientAccountId",
		        unit_price_cents as "unitPriceCents", valid_from::text as "validFrom", valid_to::text as "validTo"
		 from public.prices where site_id = $1`,
		[siteId]
	);
	return { services: services.rows, prices: prices.rows, codes: services.rows.map(({ id, code }) => ({ id, code })) };
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

/** Line by line as the person reads the input, then what concerns the whole order. */
function byLine(errors: OrderError[]): OrderError[] {
	return errors
		.map((e, i) => ({ e, i }))
		.sort((a, b) => (a.e.line ?? Infinity) - (b.e.line ?? Infinity) || a.i - b.i)
		.map(({ e }) => e);
}

/**
 * Registers the order's new vehicles as expected at the site for the client. A VIN already
 * registered in the organisation but out of the person's sight conflicts; those lines are
 * returned so the whole order can be refused.
 */
async function registerVehicles(sql: Sql, siteId: string, clientAccountId: string, lines: IntakeLine[]) {
	if (lines.length === 0) return { ids: new Map<string, string>(), taken: [] as IntakeLine[] };
	const { rows } = await sql.query<{ id: string; vin: string }>(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy, status)
		 select s.organisation_id, s.id, $2, v.vin, v.plate, v.make, v.model, v.energy::public.energy, 'expected'
		 from public.sites s, unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as v (vin, plate, make, model, energy)
		 where s.id = $1
		 on conflict (organisation_id, vin) do nothing
		 returning id, vin`,
		[
			siteId,
			clientAccountId,
			lines.map((l) => l.ref.value),
			lines.map((l) => l.plate),
			lines.map((l) => l.make),
			lines.map((l) => l.model),
			lines.map((l) => l.energy)
		]
	);
	const ids = new Map(rows.map((r) => [r.vin, r.id]));
	return { ids, taken: lines.filter((l) => !ids.has(l.ref.value)) };
}

/**
 * Takes the order: reads the vehicles (pasted or from a file), finds or registers them, gives
 * each its services, prices and splits, then writes vehicles, order and tasks. Every problem is
 * reported at once; when there is one, nothing is written (a savepoint undoes vehicles already
 * registered when a VIN turns out to be taken).
 */
export async function createOrder(sql: Sql, input: CreateOrderInput): Promise<CreateOrderResult> {
	const today = await siteToday(sql, input.siteId);
	if (!today) return { ok: false, errors: [{ line: null, field: 'siteId', code: 'site_not_found' }] };

	const read = readInput(input);
	const errors = [...read.errors];
	const { lines } = read;
	const matched = matchVehicles(lines, await findVehicles(sql, lines), input.clientAccountId);
	errors.push(...matched.errors);
	const { services, prices, codes } = await loadCatalogue(sql, input.siteId);

	// Every line is split, found or not (its index as its ref), so the services are checked too
	// and every problem is reported in one pass.
	const chosenPerVehicle = lines.some((l) => l.fileCodes) || Object.keys(input.servicesByVehicle ?? {}).length > 0;
	const vehicles = lines.map((l, index) => {
		const chosen = servicesForVehicle({
			key: vehicleKey(l.ref),
			chosen: input.servicesByVehicle,
			fileCodes: l.fileCodes,
			defaults: input.serviceIds,
			catalogue: codes
		});
		if (!chosen.ok) {
			errors.push({ line: l.line, field: l.field, code: 'unknown_service_code', input: l.input, detail: chosen.unknownCode });
			return { ref: String(index), services: [] as string[], skip: true };
		}
		if (chosen.serviceIds.length === 0 && chosenPerVehicle) {
			errors.push({ line: l.line, field: l.field, code: 'no_service', input: l.input });
			return { ref: String(index), services: [] as string[], skip: true };
		}
		return { ref: String(index), services: chosen.serviceIds, skip: false };
	});
	if (lines.length === 0 && errors.length === 0) return { ok: false, errors: [{ line: null, field: 'vehicles', code: 'no_vehicles' }] };
	const split = splitOrder({
		siteId: input.siteId,
		clientAccountId: input.clientAccountId,
		orderedOn: today,
		vehicles: vehicles.filter((v) => !v.skip),
		services,
		prices
	});
	// With every line already at fault, "no vehicles" would only repeat it.
	if (!split.ok) errors.push(...serviceErrors(split.errors.filter((e) => e.code !== 'no_vehicles' || errors.length === 0)));
	if (errors.length > 0 || !split.ok) return { ok: false, errors: byLine(errors) };

	await sql.query('savepoint create_order');
	const newLines = matched.toRegister.map((index) => lines[index]);
	const registered = await registerVehicles(sql, input.siteId, input.clientAccountId, newLines);
	if (registered.taken.length > 0) {
		await sql.query('rollback to savepoint create_order');
		return { ok: false, errors: registered.taken.map((l) => ({ line: l.line, field: l.field, code: 'vin_taken' as const, input: l.input })) };
	}
	for (const index of matched.toRegister) matched.vehicleIds.set(index, registered.ids.get(lines[index].ref.value)!);

	const { rows: refRows } = await sql.query<{ reference: string }>('select private.next_order_reference($1) as reference', [input.siteId]);
	const reference = refRows[0].reference;
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
			split.tasks.map((t) => matched.vehicleIds.get(Number(t.vehicleRef))),
			split.tasks.map((t) => t.serviceId),
			split.tasks.map((t) => t.estimatedMinutes),
			split.tasks.map((t) => t.priceCents)
		]
	);
	await sql.query('release savepoint create_order');
	return { ok: true, orderId, reference, createdVehicles: newLines.length };
}
