import { occupiesCapacity, type IsoDate, type PlanningTask, type PlanningTeam } from './task';

/** 'under' below 60 % of capacity (people idle), 'over' above 100 % (work will slip). */
export type LoadLevel = 'under' | 'ok' | 'over';

export interface DayLoad {
	day: IsoDate;
	plannedMinutes: number;
	capacityMinutes: number;
	/** plannedMinutes / capacityMinutes; null when the team has no capacity that day. */
	ratio: number | null;
	level: LoadLevel;
}

export interface LaneLoad {
	teamId: string;
	days: DayLoad[];
}

/** Minutes already planned, by team then day; the one tally the board and the suggestion share. */
export function plannedMinutesByTeamAndDay(tasks: readonly PlanningTask[]): Map<string, Map<IsoDate, number>> {
	const minutes = new Map<string, Map<IsoDate, number>>();
	for (const task of tasks) {
		if (task.teamId === null || task.plannedOn === null || !occupiesCapacity(task.status)) continue;
		const byDay = minutes.get(task.teamId) ?? new Map<IsoDate, number>();
		byDay.set(task.plannedOn, (byDay.get(task.plannedOn) ?? 0) + task.estimatedMinutes);
		minutes.set(task.teamId, byDay);
	}
	return minutes;
}

export function loadLevel({ plannedMinutes, capacityMinutes }: { plannedMinutes: number; capacityMinutes: number }): LoadLevel {
	// Compared by cross-multiplication so exactly 60 % or 100 % never flips on a rounding error.
	if (plannedMinutes > capacityMinutes) return 'over';
	if (plannedMinutes * 100 < capacityMinutes * 60) return 'under';
	return 'ok';
}

/**
 * Each lane's load per day, teams and days in the order given. Tasks of other teams or days
 * are left out, so callers can pass a whole site's tasks.
 */
export function laneLoad({ tasks, teams, days }: { tasks: readonly PlanningTask[]; teams: readonly PlanningTeam[]; days: readonly IsoDate[] }): LaneLoad[] {
	const minutes = plannedMinutesByTeamAndDay(tasks);
	return teams.map((team) => ({
		teamId: team.id,
		days: days.map((day) => {
			const plannedMinutes = minutes.get(team.id)?.get(day) ?? 0;
			const capacityMinutes = team.dailyCapacityMinutes;
			return {
				day,
				plannedMinutes,
				capacityMinutes,
				ratio: capacityMinutes > 0 ? plannedMinutes / capacityMinutes : null,
				level: loadLevel({ plannedMinutes, capacityMinutes })
			};
		})
	}));
}
