/**
 * An order split into its tasks: one per vehicle × service, each priced and timed when the order
 * is taken (a later change to the price list never reprices a task). All or nothing: the caller
 * writes the order and its tasks in one transaction, so a half-valid order yields no tasks.
 */
import { priceFor, type PriceListEntry } from './pricing';

export interface CatalogueService {
	id: string;
	siteId: string;
	defaultMinutes: number;
	active: boolean;
}

export interface OrderedVehicle {
	/** Whatever names the vehicle to the caller (id, VIN or plate); carried through unchanged. */
	ref: string;
	/** Service ids; the same service twice on one vehicle means it once. */
	services: readonly string[];
}

export interface OrderToSplit {
	siteId: string;
	clientAccountId: string;
	/** 'YYYY-MM-DD': the day whose prices apply. */
	orderedOn: string;
	vehicles: readonly OrderedVehicle[];
	services: readonly CatalogueService[];
	prices: readonly PriceListEntry[];
}

export interface PlannedTask {
	vehicleRef: string;
	serviceId: string;
	estimatedMinutes: number;
	priceCents: number;
}

export type SplitErrorCode =
	| 'no_vehicles'
	| 'duplicate_vehicle'
	| 'no_service'
	| 'unknown_service'
	| 'inactive_service'
	| 'service_of_other_site'
	| 'no_price';

export interface SplitError {
	/** Index of the vehicle in the order (0-based); null for an error about the whole order. */
	row: number | null;
	field: 'vehicles' | 'ref' | 'services';
	code: SplitErrorCode;
	/** The service at fault, so the form can mark that one choice rather than the whole row. */
	serviceId?: string;
}

export type SplitResult =
	| { ok: true; tasks: PlannedTask[]; totalCents: number; totalMinutes: number }
	| { ok: false; errors: SplitError[] };

type ServiceCheck = { task: PlannedTask } | { code: SplitErrorCode };

function checkService(order: OrderToSplit, vehicleRef: string, serviceId: string): ServiceCheck {
	const service = order.services.find((s) => s.id === serviceId);
	if (!service) return { code: 'unknown_service' };
	if (service.siteId !== order.siteId) return { code: 'service_of_other_site' };
	if (!service.active) return { code: 'inactive_service' };
	const price = priceFor({
		prices: order.prices,
		serviceId,
		siteId: order.siteId,
		clientAccountId: order.clientAccountId,
		on: order.orderedOn
	});
	if (!price) return { code: 'no_price' };
	return { task: { vehicleRef, serviceId, estimatedMinutes: service.defaultMinutes, priceCents: price.unitPriceCents } };
}

/** Reports every problem at once, so the person entering the order fixes them in one pass. */
export function splitOrder(order: OrderToSplit): SplitResult {
	if (order.vehicles.length === 0) return { ok: false, errors: [{ row: null, field: 'vehicles', code: 'no_vehicles' }] };

	const tasks: PlannedTask[] = [];
	const errors: SplitError[] = [];
	const seenRefs = new Set<string>();
	order.vehicles.forEach((vehicle, row) => {
		// A vehicle listed twice would get every service twice, and be billed twice.
		if (seenRefs.has(vehicle.ref)) errors.push({ row, field: 'ref', code: 'duplicate_vehicle' });
		seenRefs.add(vehicle.ref);
		const serviceIds = [...new Set(vehicle.services)];
		if (serviceIds.length === 0) errors.push({ row, field: 'services', code: 'no_service' });
		for (const serviceId of serviceIds) {
			const checked = checkService(order, vehicle.ref, serviceId);
			if ('task' in checked) tasks.push(checked.task);
			else errors.push({ row, field: 'services', code: checked.code, serviceId });
		}
	});

	if (errors.length > 0) return { ok: false, errors };
	return {
		ok: true,
		tasks,
		totalCents: tasks.reduce((sum, t) => sum + t.priceCents, 0),
		totalMinutes: tasks.reduce((sum, t) => sum + t.estimatedMinutes, 0)
	};
}
