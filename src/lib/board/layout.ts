import { byRank, rankBetween, ranksAfter, type Placement, type PresenceEntry } from './model';
import type { Assignment } from '../domain/planning/suggest';
import type { EligibleTeams, IsoDate, PlanningTask, TaskStatus } from '../domain/planning/task';

/**
 * How the board lays cards out and turns a drop into a placement: pure functions of the
 * placements and the cards' content, shared by the page and its tests.
 */

export type LaneMode = 'teams' | 'operators';

export interface CardFacts {
	id: string;
	status: TaskStatus;
	estimatedMinutes: number;
	serviceId: string;
	zoneKind: string;
	deadline: IsoDate;
	teamId: string | null;
	assigneeId: string | null;
	plannedOn: IsoDate | null;
	startMinutes: number | null;
	rank: string | null;
}

/** Where a card is: the live document once synced; until then what the page was rendered with. */
export function placementOf(task: CardFacts, cards: ReadonlyMap<string, Placement> | null): Placement | null {
	if (cards) return cards.get(task.id) ?? null;
	if (!task.plannedOn) return null;
	return { teamId: task.teamId, assigneeId: task.assigneeId, day: task.plannedOn, start: task.startMinutes, rank: task.rank ?? task.id };
}

/** A cell of the board: a lane on a day, and in the day view an hour (null: no set time). */
export interface Cell {
	lane: string | null;
	day: IsoDate;
	hour: number | null;
}

export const UNASSIGNED = '_';
export const cellKey = ({ lane, day, hour }: Cell) => `${lane ?? UNASSIGNED}|${day}|${hour ?? ''}`;

export function laneOf(p: Placement, mode: LaneMode): string | null {
	return mode === 'teams' ? p.teamId : p.assigneeId;
}

/** The cards of each cell, in lane order. Cards of days not shown are left out. */
export function cellsOf<T extends CardFacts>(
	tasks: readonly T[],
	cards: ReadonlyMap<string, Placement> | null,
	{ mode, days, hours }: { mode: LaneMode; days: readonly IsoDate[]; hours: boolean }
): Map<string, (T & { rank: string })[]> {
	const shown = new Set(days);
	const cells = new Map<string, (T & { rank: string })[]>();
	for (const task of tasks) {
		const p = placementOf(task, cards);
		if (!p || !shown.has(p.day)) continue;
		const key = cellKey({ lane: laneOf(p, mode), day: p.day, hour: hours && p.start !== null ? Math.floor(p.start / 60) : null });
		const list = cells.get(key) ?? [];
		list.push({ ...task, rank: p.rank });
		cells.set(key, list);
	}
	for (const list of cells.values()) list.sort(byRank);
	return cells;
}

/** Unfinished cards on no day of the board. */
export function backlogOf<T extends CardFacts>(tasks: readonly T[], cards: ReadonlyMap<string, Placement> | null): T[] {
	return tasks.filter((t) => ['todo', 'planned', 'in_progress'].includes(t.status) && placementOf(t, cards) === null);
}

/**
 * The placement of a card dropped at `index` among `neighbours` (the cell's cards without it,
 * in order). In the operator view the card follows its new operator's team when they have one.
 */
export function placementForDrop({
	cell,
	mode,
	neighbours,
	index,
	previous,
	hours,
	teamOfPerson
}: {
	cell: Cell;
	/** Whether the drop happened in the day view, where cells are hours. */
	hours: boolean;
	mode: LaneMode;
	neighbours: readonly { rank: string }[];
	index: number;
	previous: Placement | null;
	teamOfPerson: (personId: string) => string | null;
}): Placement {
	const before = neighbours[index - 1]?.rank ?? null;
	const after = neighbours[index]?.rank ?? null;
	const rank = rankBetween(before, after);
	// The week view has no hours: a card keeps its start time when it stays on its day.
	const start = cell.hour !== null ? cell.hour * 60 : !hours && previous?.day === cell.day ? previous.start : null;
	if (mode === 'teams') {
		const sameTeam = previous?.teamId === cell.lane;
		return { teamId: cell.lane, assigneeId: sameTeam ? (previous?.assigneeId ?? null) : null, day: cell.day, start, rank };
	}
	const teamId = cell.lane ? (teamOfPerson(cell.lane) ?? previous?.teamId ?? null) : (previous?.teamId ?? null);
	return { teamId, assigneeId: cell.lane, day: cell.day, start, rank };
}

/** Which teams may take each service: a team takes the services of its zones (all when unset). */
export function eligibleTeams(
	teams: readonly { id: string; zoneKinds: string[] | null }[],
	services: readonly { serviceId: string; zoneKind: string }[]
): EligibleTeams {
	const result: Record<string, string[]> = {};
	for (const { serviceId, zoneKind } of services) {
		result[serviceId] ??= teams.filter((t) => t.zoneKinds === null || t.zoneKinds.includes(zoneKind)).map((t) => t.id);
	}
	return result;
}

export function asPlanningTask(task: CardFacts, p: Placement | null): PlanningTask {
	return {
		id: task.id,
		serviceId: task.serviceId,
		estimatedMinutes: task.estimatedMinutes,
		deadline: task.deadline,
		teamId: p?.teamId ?? null,
		plannedOn: p?.day ?? null,
		status: task.status
	};
}

/** A suggestion's assignments as placements, each appended after the last card of its cell. */
export function placementsOf(assignments: readonly Assignment[], cards: ReadonlyMap<string, Placement>): Map<string, Placement> {
	const last = new Map<string, string | null>();
	for (const p of cards.values()) {
		const key = `${p.teamId}|${p.day}`;
		const current = last.get(key) ?? null;
		if (current === null || p.rank > current) last.set(key, p.rank);
	}
	const result = new Map<string, Placement>();
	for (const a of assignments) {
		const key = `${a.teamId}|${a.plannedOn}`;
		const [rank] = ranksAfter(last.get(key) ?? null, 1);
		last.set(key, rank);
		result.set(a.taskId, { teamId: a.teamId, assigneeId: null, day: a.plannedOn, start: null, rank });
	}
	return result;
}

/** 'late': planned after its deadline; 'due': planned on it; null otherwise. */
export function deadlineState(deadline: IsoDate, day: IsoDate | null, today: IsoDate): 'late' | 'due' | null {
	const reference = day ?? today;
	if (deadline < reference || deadline < today) return 'late';
	if (deadline === reference) return 'due';
	return null;
}

/** One entry per person on the board, whatever the number of screens they have it open on. */
export function presentPeople(presence: readonly PresenceEntry[]): { userId: string; name: string; canEdit: boolean }[] {
	const seen = new Map<string, { userId: string; name: string; canEdit: boolean }>();
	for (const p of presence) seen.set(p.userId, { userId: p.userId, name: p.name, canEdit: p.canEdit || (seen.get(p.userId)?.canEdit ?? false) });
	return [...seen.values()];
}

/** How many items share each key, in first-seen order. */
export function countBy<T, K>(items: readonly T[], key: (item: T) => K): [K, number][] {
	const counts = new Map<K, number>();
	for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
	return [...counts.entries()];
}

/** The current page's query with some parameters changed (null removes one), as a relative link. */
export function hrefWith(params: URLSearchParams, changes: Record<string, string | null>): string {
	const next = new URLSearchParams(params);
	for (const [k, v] of Object.entries(changes)) {
		if (v === null) next.delete(k);
		else next.set(k, v);
	}
	return `?${next}`;
}
