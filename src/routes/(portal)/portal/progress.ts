import type { TaskStatus, VehicleStatus } from '$lib/components/labels';

/**
 * What a client is shown of an order's progress: counts per status, a done/total ratio and the
 * step each vehicle is at. Pure, so the wording rules are tested without a database.
 */

export interface PortalTaskRow {
	orderId: string;
	vehicleId: string;
	status: TaskStatus;
	service: string | null;
	plate: string | null;
	make: string | null;
	model: string | null;
	vehicleStatus: VehicleStatus | null;
}

export type Step =
	| { kind: 'expected' | 'ready' | 'in_transit' | 'delivered' }
	| { kind: 'in_service' | 'waiting'; service: string };

export interface PortalVehicle {
	id: string;
	plate: string | null;
	make: string | null;
	model: string | null;
	step: Step;
}

export interface OrderProgress {
	counts: Record<'todo' | 'planned' | 'in_progress' | 'done', number>;
	done: number;
	total: number;
	vehicles: PortalVehicle[];
}

/** Where a vehicle is in its order, from its own status and its tasks. */
export function vehicleStep(vehicleStatus: VehicleStatus | null, tasks: { status: TaskStatus; service: string | null }[]): Step {
	if (vehicleStatus === 'delivered') return { kind: 'delivered' };
	if (vehicleStatus === 'in_transit') return { kind: 'in_transit' };
	const running = tasks.find((t) => t.status === 'in_progress');
	if (running) return { kind: 'in_service', service: running.service ?? '' };
	const next = tasks.find((t) => t.status === 'todo' || t.status === 'planned');
	if (!next) return { kind: 'ready' };
	if (vehicleStatus === 'expected') return { kind: 'expected' };
	return { kind: 'waiting', service: next.service ?? '' };
}

/** Groups task rows (cancelled ones excluded) into one progress summary per order. */
export function summariseOrders(rows: PortalTaskRow[]): Map<string, OrderProgress> {
	const byOrder = new Map<string, { progress: OrderProgress; tasksByVehicle: Map<string, PortalTaskRow[]> }>();
	for (const row of rows) {
		if (row.status === 'cancelled') continue;
		let entry = byOrder.get(row.orderId);
		if (!entry) {
			entry = {
				progress: { counts: { todo: 0, planned: 0, in_progress: 0, done: 0 }, done: 0, total: 0, vehicles: [] },
				tasksByVehicle: new Map()
			};
			byOrder.set(row.orderId, entry);
		}
		const bucket = row.status === 'validated' ? 'done' : row.status;
		entry.progress.counts[bucket] += 1;
		entry.progress.total += 1;
		if (bucket === 'done') entry.progress.done += 1;
		const list = entry.tasksByVehicle.get(row.vehicleId) ?? [];
		list.push(row);
		entry.tasksByVehicle.set(row.vehicleId, list);
	}
	const result = new Map<string, OrderProgress>();
	for (const [orderId, { progress, tasksByVehicle }] of byOrder) {
		for (const [vehicleId, tasks] of tasksByVehicle) {
			const first = tasks[0];
			progress.vehicles.push({
				id: vehicleId,
				plate: first.plate,
				make: first.make,
				model: first.model,
				step: vehicleStep(first.vehicleStatus, tasks)
			});
		}
		result.set(orderId, progress);
	}
	return result;
}
