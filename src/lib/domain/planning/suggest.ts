import { plannedMinutesByTeamAndDay } from './load';
import { isUnfinished, type EligibleTeams, type IsoDate, type PlanningTask, type PlanningTeam } from './task';

/**
 * How `suggestPlan` decides, in the order it applies the steps, for the board to explain a
 * suggestion in the lead's language (one translated sentence per id):
 *
 * 1. Tasks are taken earliest deadline first, so what is due soonest gets the free time;
 * 2. on equal deadlines, longest first, since long tasks are the hardest to fit later;
 * 3. then by task id, so the same board always gives the same suggestion.
 * 4. A task goes only to a team that performs its service,
 * 5. on a day from today up to its deadline (the week's last day when due later),
 * 6. where it fits in what is left of that team's capacity.
 * 7. Of those slots it takes the one least loaded once the task is added,
 * 8. the earliest on ties (then the team with the smallest id).
 * 9. Tasks already planned stay where they are: the lead planned them on purpose.
 *
 * A task due before today is not placed ('deadline_passed'): it is late whatever we do, and
 * the lead decides what gives way for it.
 */
export const suggestionRules = [
	'earliest_deadline_first',
	'then_longest_task_first',
	'then_task_id',
	'eligible_team_only',
	'from_today_to_deadline',
	'within_remaining_capacity',
	'least_loaded_slot',
	'earliest_day_on_ties',
	'planned_tasks_never_move'
] as const;
export type SuggestionRule = (typeof suggestionRules)[number];

export type UnplacedReason = 'no_eligible_team' | 'no_capacity_before_deadline' | 'deadline_passed';

export interface Assignment {
	taskId: string;
	teamId: string;
	plannedOn: IsoDate;
}

export interface UnplacedTask {
	taskId: string;
	reason: UnplacedReason;
}

export interface PlanSuggestion {
	assignments: Assignment[];
	unplaced: UnplacedTask[];
}

export interface SuggestPlanInput {
	/** Unplanned tasks to place; finished or cancelled ones are skipped. */
	backlog: readonly PlanningTask[];
	/** Tasks already on the board: they only count against capacity. */
	planned: readonly PlanningTask[];
	teams: readonly PlanningTeam[];
	eligibleTeams: EligibleTeams;
	/** Working days shown on the board. */
	days: readonly IsoDate[];
	today: IsoDate;
}

/** Code-point comparison: locale-aware sorting could order ids differently on two machines. */
function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function byUrgency(a: PlanningTask, b: PlanningTask): number {
	return compareText(a.deadline, b.deadline) || b.estimatedMinutes - a.estimatedMinutes || compareText(a.id, b.id);
}

interface Slot {
	team: PlanningTeam;
	day: IsoDate;
	minutesAfter: number;
}

/** Ratios compared by cross-multiplication: exact on whole minutes, so ties are real ties. */
function isLessLoaded(candidate: Slot, best: Slot): boolean {
	return candidate.minutesAfter * best.team.dailyCapacityMinutes < best.minutesAfter * candidate.team.dailyCapacityMinutes;
}

/** A suggestion for the lead to accept or drop; the inputs are left untouched, so dropping it is free. */
export function suggestPlan({ backlog, planned, teams, eligibleTeams, days, today }: SuggestPlanInput): PlanSuggestion {
	const minutes = plannedMinutesByTeamAndDay(planned);
	const boardDays = [...new Set(days)].sort(compareText);
	const teamsById = new Map(teams.map((team) => [team.id, team]));
	const assignments: Assignment[] = [];
	const unplaced: UnplacedTask[] = [];

	for (const task of backlog.filter((t) => isUnfinished(t.status)).sort(byUrgency)) {
		const candidates = [...new Set(eligibleTeams[task.serviceId] ?? [])]
			.sort(compareText)
			.flatMap((teamId) => teamsById.get(teamId) ?? []);
		if (candidates.length === 0) {
			unplaced.push({ taskId: task.id, reason: 'no_eligible_team' });
			continue;
		}
		if (task.deadline < today) {
			unplaced.push({ taskId: task.id, reason: 'deadline_passed' });
			continue;
		}

		let best: Slot | null = null;
		for (const day of boardDays.filter((d) => d >= today && d <= task.deadline)) {
			for (const team of candidates) {
				if (team.dailyCapacityMinutes <= 0) continue;
				const minutesAfter = (minutes.get(team.id)?.get(day) ?? 0) + task.estimatedMinutes;
				if (minutesAfter > team.dailyCapacityMinutes) continue;
				const slot = { team, day, minutesAfter };
				if (best === null || isLessLoaded(slot, best)) best = slot;
			}
		}
		if (best === null) {
			unplaced.push({ taskId: task.id, reason: 'no_capacity_before_deadline' });
			continue;
		}

		const byDay = minutes.get(best.team.id) ?? new Map<IsoDate, number>();
		byDay.set(best.day, best.minutesAfter);
		minutes.set(best.team.id, byDay);
		assignments.push({ taskId: task.id, teamId: best.team.id, plannedOn: best.day });
	}
	return { assignments, unplaced };
}
