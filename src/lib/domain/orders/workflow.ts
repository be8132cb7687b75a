/**
 * Where an order stands in its life: each vehicle of the order is at one stage, and the order
 * as a whole is as far as its least advanced vehicle, so nothing is forgotten behind the others.
 * Pure: statuses and calendar days (`YYYY-MM-DD`, compared as text) in, stages and flags out.
 */

export const workflowStages = ['received', 'planned', 'on_site', 'in_service', 'ready', 'delivered', 'invoiced'] as const;
export type WorkflowStage = (typeof workflowStages)[number];

export type WorkflowTaskStatus = 'todo' | 'planned' | 'in_progress' | 'done' | 'validated' | 'cancelled';

export interface WorkflowTask {
	status: WorkflowTaskStatus;
	/** `YYYY-MM-DD`, or null when not planned yet. */
	plannedOn: string | null;
}

export interface WorkflowVehicle {
	vehicleStatus: string;
	tasks: WorkflowTask[];
	/** A gate-in was recorded for this vehicle at the order's site. */
	hasGateIn: boolean;
	/** A gate-out was recorded after work: the vehicle has left, delivered. */
	hasGateOut?: boolean;
	/** Invoicing is not built yet; the flag keeps the last stage reachable. */
	invoiced?: boolean;
}

const FINISHED: WorkflowTaskStatus[] = ['done', 'validated'];
/** Vehicle statuses that mean the vehicle is physically at the site. */
const AT_SITE = ['on_site', 'in_service', 'ready', 'in_stock', 'reserved'];

/** The tasks that still count: a cancelled task is no work to do. */
function liveTasks(tasks: WorkflowTask[]): WorkflowTask[] {
	return tasks.filter((t) => t.status !== 'cancelled');
}

export function vehicleStage({ vehicleStatus, tasks, hasGateIn, hasGateOut = false, invoiced = false }: WorkflowVehicle): WorkflowStage {
	if (invoiced) return 'invoiced';
	if (vehicleStatus === 'delivered' || hasGateOut) return 'delivered';
	const live = liveTasks(tasks);
	const finished = live.filter((t) => FINISHED.includes(t.status)).length;
	if (live.length > 0 && finished === live.length) return 'ready';
	if (live.some((t) => t.status === 'in_progress') || finished > 0) return 'in_service';
	if (hasGateIn || AT_SITE.includes(vehicleStatus)) return 'on_site';
	if (live.length > 0 && live.every((t) => t.plannedOn !== null)) return 'planned';
	return 'received';
}

export function stageIndex(stage: WorkflowStage): number {
	return workflowStages.indexOf(stage);
}

/**
 * A vehicle is blocked when work planned for a day now past is still not done: either it never
 * arrived (still expected) or it arrived and the work did not happen.
 */
export function isBlocked(vehicle: WorkflowVehicle, today: string): boolean {
	const stage = vehicleStage(vehicle);
	if (stageIndex(stage) >= stageIndex('ready')) return false;
	return liveTasks(vehicle.tasks).some((t) => !FINISHED.includes(t.status) && t.plannedOn !== null && t.plannedOn < today);
}

export interface OrderWorkflow {
	/** Per stage, how many vehicles reached it or went beyond. */
	reached: Record<WorkflowStage, number>;
	/** The stage of the least advanced vehicle ('received' for an order with no vehicle). */
	current: WorkflowStage;
	stages: WorkflowStage[];
	/** Past the deadline with vehicles not yet ready. */
	late: boolean;
	/** Indexes (in the input) of the vehicles that are blocked. */
	blocked: number[];
	total: number;
}

export function orderWorkflow({ deadline, today, vehicles }: { deadline: string; today: string; vehicles: WorkflowVehicle[] }): OrderWorkflow {
	const stages = vehicles.map(vehicleStage);
	const reached = Object.fromEntries(
		workflowStages.map((stage) => [stage, stages.filter((s) => stageIndex(s) >= stageIndex(stage)).length])
	) as Record<WorkflowStage, number>;
	const current = stages.length === 0 ? 'received' : workflowStages[Math.min(...stages.map(stageIndex))];
	const notReady = stages.some((s) => stageIndex(s) < stageIndex('ready'));
	return {
		reached,
		current,
		stages,
		late: today > deadline && notReady,
		blocked: vehicles.flatMap((v, i) => (isBlocked(v, today) ? [i] : [])),
		total: vehicles.length
	};
}
