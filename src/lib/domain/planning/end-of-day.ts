import { nextWorkingDay, type WorkingCalendar } from './calendar';
import { isUnfinished, type IsoDate, type PlanningTask, type TaskStatus } from './task';

/** 'postpone' keeps each task with its team on the next working day; 'backlog' unplans it for the lead to replan. */
export type RollOverMode = 'postpone' | 'backlog';

export interface TaskPlacement {
	teamId: string | null;
	plannedOn: IsoDate | null;
	status: TaskStatus;
}

/** Before and after, so the caller can write every change in one transaction and log each in the audit trail. */
export interface TaskChange {
	taskId: string;
	from: TaskPlacement;
	to: TaskPlacement;
}

/**
 * The changes that close `day`: what was planned on it and not finished moves on, in the order
 * given. Finished and cancelled tasks, and tasks of other days, stay as they are.
 */
export function rollOver({
	tasks,
	day,
	mode,
	weekdays,
	closed
}: WorkingCalendar & { tasks: readonly PlanningTask[]; day: IsoDate; mode: RollOverMode }): TaskChange[] {
	const leftOver = tasks.filter((task) => task.plannedOn === day && isUnfinished(task.status));
	if (leftOver.length === 0) return [];
	// Computed only when needed: a calendar without working days is an error only if something moves.
	const nextDay = mode === 'postpone' ? nextWorkingDay({ after: day, weekdays, closed }) : null;
	return leftOver.map((task) => ({
		taskId: task.id,
		from: { teamId: task.teamId, plannedOn: task.plannedOn, status: task.status },
		// A postponed task keeps its status, in_progress included: the work already done is not lost.
		// Back in the backlog it has no team, so nobody is working on it any more.
		to: nextDay ? { teamId: task.teamId, plannedOn: nextDay, status: task.status } : { teamId: null, plannedOn: null, status: 'todo' }
	}));
}
