/** A day on the board, as Postgres `date` and the URL carry it: 'YYYY-MM-DD'. */
export type IsoDate = string;

export const taskStatuses = ['todo', 'planned', 'in_progress', 'done', 'validated', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A card on the planning board: one vehicle × one service. */
export interface PlanningTask {
	id: string;
	serviceId: string;
	estimatedMinutes: number;
	/** The order's deadline: the day the client expects the vehicle ready. */
	deadline: IsoDate;
	teamId: string | null;
	plannedOn: IsoDate | null;
	status: TaskStatus;
}

/** A lane on the planning board. */
export interface PlanningTeam {
	id: string;
	dailyCapacityMinutes: number;
}

/** Which teams can perform each service: serviceId → teamIds. */
export type EligibleTeams = Readonly<Record<string, readonly string[]>>;

/** Statuses whose work is still ahead: what end of day rolls over and what the suggestion may place. */
const unfinishedStatuses: readonly TaskStatus[] = ['todo', 'planned', 'in_progress'];

export function isUnfinished(status: TaskStatus): boolean {
	return unfinishedStatuses.includes(status);
}

/**
 * Finished work still occupied the team on the day it was planned, so only a cancelled task
 * frees its slot.
 */
export function occupiesCapacity(status: TaskStatus): boolean {
	return status !== 'cancelled';
}
