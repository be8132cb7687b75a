import { describe, expect, it } from 'vitest';
import { laneLoad } from './load';
import { suggestionRules, suggestPlan, type SuggestPlanInput } from './suggest';
import type { PlanningTask } from './task';

// The week of Monday 2026-11-23, worked Monday to Saturday.
const [mon, tue, wed, thu, fri, sat] = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'];
const week = [mon, tue, wed, thu, fri, sat];

function backlogTask(overrides: Partial<PlanningTask> & Pick<PlanningTask, 'id'>): PlanningTask {
	return { serviceId: 'wash', estimatedMinutes: 60, deadline: sat, teamId: null, plannedOn: null, status: 'todo', ...overrides };
}

function plannedTask(overrides: Partial<PlanningTask> & Pick<PlanningTask, 'id' | 'teamId' | 'plannedOn'>): PlanningTask {
	return backlogTask({ status: 'planned', ...overrides });
}

function input(overrides: Partial<SuggestPlanInput>): SuggestPlanInput {
	return {
		backlog: [],
		planned: [],
		teams: [{ id: 'prep', dailyCapacityMinutes: 480 }],
		eligibleTeams: { wash: ['prep'] },
		days: week,
		today: mon,
		...overrides
	};
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		Object.values(value).forEach(deepFreeze);
		Object.freeze(value);
	}
	return value;
}

/** A varied board from a fixed seed, so the property-style checks stay reproducible. */
function generatedBoard(seed: number): SuggestPlanInput {
	let state = seed;
	const next = (below: number) => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state % below;
	};
	const services = ['wash', 'prep', 'body', 'tyres'];
	return input({
		teams: [
			{ id: 'alpha', dailyCapacityMinutes: 480 },
			{ id: 'bravo', dailyCapacityMinutes: 300 },
			{ id: 'charlie', dailyCapacityMinutes: 420 }
		],
		eligibleTeams: { wash: ['alpha', 'bravo'], prep: ['alpha', 'charlie'], body: ['charlie'], tyres: ['bravo'] },
		planned: Array.from({ length: 10 }, (_, i) =>
			plannedTask({ id: `p${i}`, teamId: ['alpha', 'bravo', 'charlie'][next(3)], plannedOn: week[next(6)], estimatedMinutes: 30 + next(120) })
		),
		backlog: Array.from({ length: 60 }, (_, i) =>
			backlogTask({ id: `t${i}`, serviceId: services[next(4)], estimatedMinutes: 15 + next(240), deadline: week[next(6)] })
		),
		today: tue
	});
}

describe('suggestionRules', () => {
	it('lists the steps in the order they apply, for the board to translate', () => {
		expect(suggestionRules[0]).toBe('earliest_deadline_first');
		expect(suggestionRules).toContain('planned_tasks_never_move');
		expect(new Set(suggestionRules).size).toBe(suggestionRules.length);
	});
});

describe('suggestPlan', () => {
	it('meets every deadline when capacity allows, giving scarce early time to the most urgent task', () => {
		// Room for one hour a day: taking the Tuesday task first would leave the Monday one late.
		const { assignments, unplaced } = suggestPlan(
			input({
				teams: [{ id: 'prep', dailyCapacityMinutes: 60 }],
				days: [mon, tue],
				backlog: [backlogTask({ id: 'due-tue', deadline: tue }), backlogTask({ id: 'due-mon', deadline: mon })]
			})
		);
		expect(unplaced).toEqual([]);
		expect(assignments).toEqual([
			{ taskId: 'due-mon', teamId: 'prep', plannedOn: mon },
			{ taskId: 'due-tue', teamId: 'prep', plannedOn: tue }
		]);
	});

	it('places on equal deadlines the longest task first, then by id', () => {
		const { assignments } = suggestPlan(
			input({
				backlog: [
					backlogTask({ id: 'b', estimatedMinutes: 30 }),
					backlogTask({ id: 'a', estimatedMinutes: 30 }),
					backlogTask({ id: 'long', estimatedMinutes: 240 }),
					backlogTask({ id: 'early', estimatedMinutes: 10, deadline: fri })
				]
			})
		);
		expect(assignments.map((a) => a.taskId)).toEqual(['early', 'long', 'a', 'b']);
	});

	it('spreads work over the days before the deadline rather than piling it on the first', () => {
		const { assignments } = suggestPlan(input({ backlog: week.map((_, i) => backlogTask({ id: `t${i}` })) }));
		expect(assignments.map((a) => a.plannedOn).sort()).toEqual(week);
	});

	it('balances teams by load ratio, so a small team gets a fair share rather than an equal one', () => {
		const { assignments } = suggestPlan(
			input({
				teams: [
					{ id: 'prep', dailyCapacityMinutes: 480 },
					{ id: 'body', dailyCapacityMinutes: 240 }
				],
				eligibleTeams: { wash: ['prep', 'body'] },
				days: [mon],
				backlog: ['a', 'b', 'c'].map((id) => backlogTask({ id, estimatedMinutes: 120 }))
			})
		);
		// a: prep 25 % beats body 50 %; b: tie at 50 %, smallest team id; c: prep 50 % beats body 100 %.
		expect(assignments).toEqual([
			{ taskId: 'a', teamId: 'prep', plannedOn: mon },
			{ taskId: 'b', teamId: 'body', plannedOn: mon },
			{ taskId: 'c', teamId: 'prep', plannedOn: mon }
		]);
	});

	it('takes the earliest day when loads tie', () => {
		const { assignments } = suggestPlan(
			input({
				planned: [plannedTask({ id: 'p', teamId: 'prep', plannedOn: mon, estimatedMinutes: 120 })],
				backlog: [backlogTask({ id: 't' })]
			})
		);
		expect(assignments).toEqual([{ taskId: 't', teamId: 'prep', plannedOn: tue }]);
	});

	it('counts planned tasks against capacity and never moves them', () => {
		const planned = [
			plannedTask({ id: 'p1', teamId: 'prep', plannedOn: mon, estimatedMinutes: 450 }),
			plannedTask({ id: 'p2', teamId: 'prep', plannedOn: tue, estimatedMinutes: 30, status: 'in_progress' }),
			plannedTask({ id: 'gone', teamId: 'prep', plannedOn: tue, estimatedMinutes: 480, status: 'cancelled' })
		];
		const { assignments } = suggestPlan(input({ days: [mon, tue], planned, backlog: [backlogTask({ id: 't', estimatedMinutes: 60 })] }));
		expect(assignments).toEqual([{ taskId: 't', teamId: 'prep', plannedOn: tue }]);
	});

	it('never plans before today, and may plan a task due today for today', () => {
		const { assignments } = suggestPlan(input({ today: wed, backlog: [backlogTask({ id: 't', deadline: wed })] }));
		expect(assignments).toEqual([{ taskId: 't', teamId: 'prep', plannedOn: wed }]);
	});

	it('uses the whole week for a task due after it', () => {
		const { assignments } = suggestPlan(
			input({
				planned: [mon, tue, wed, thu, fri].map((day) => plannedTask({ id: day, teamId: 'prep', plannedOn: day, estimatedMinutes: 480 })),
				backlog: [backlogTask({ id: 't', deadline: '2026-12-04' })]
			})
		);
		expect(assignments).toEqual([{ taskId: 't', teamId: 'prep', plannedOn: sat }]);
	});

	it('leaves finished and cancelled tasks out of the suggestion', () => {
		const { assignments, unplaced } = suggestPlan(
			input({ backlog: [backlogTask({ id: 'done', status: 'done' }), backlogTask({ id: 'cancelled', status: 'cancelled' })] })
		);
		expect(assignments).toEqual([]);
		expect(unplaced).toEqual([]);
	});

	describe('unplaced tasks', () => {
		it('are no_eligible_team when no team on the board performs the service', () => {
			const { unplaced } = suggestPlan(
				input({
					eligibleTeams: { wash: ['prep'], paint: ['paint-shop'] },
					backlog: [backlogTask({ id: 'unknown', serviceId: 'valet' }), backlogTask({ id: 'elsewhere', serviceId: 'paint' })]
				})
			);
			expect(unplaced).toEqual([
				{ taskId: 'elsewhere', reason: 'no_eligible_team' },
				{ taskId: 'unknown', reason: 'no_eligible_team' }
			]);
		});

		it('are deadline_passed when due before today, for the lead to decide', () => {
			const { assignments, unplaced } = suggestPlan(input({ today: wed, backlog: [backlogTask({ id: 'late', deadline: tue })] }));
			expect(assignments).toEqual([]);
			expect(unplaced).toEqual([{ taskId: 'late', reason: 'deadline_passed' }]);
		});

		it('are no_capacity_before_deadline when every slot up to the deadline is full or too small', () => {
			const { assignments, unplaced } = suggestPlan(
				input({
					teams: [{ id: 'prep', dailyCapacityMinutes: 120 }],
					days: [mon, tue],
					backlog: [
						backlogTask({ id: 'fits', deadline: mon, estimatedMinutes: 90 }),
						backlogTask({ id: 'squeezed-out', deadline: mon, estimatedMinutes: 60 }),
						backlogTask({ id: 'too-long', deadline: tue, estimatedMinutes: 121 })
					]
				})
			);
			expect(assignments).toEqual([{ taskId: 'fits', teamId: 'prep', plannedOn: mon }]);
			expect(unplaced).toEqual([
				{ taskId: 'squeezed-out', reason: 'no_capacity_before_deadline' },
				{ taskId: 'too-long', reason: 'no_capacity_before_deadline' }
			]);
		});

		it('are no_capacity_before_deadline when the only eligible team has no capacity', () => {
			const { unplaced } = suggestPlan(
				input({ teams: [{ id: 'prep', dailyCapacityMinutes: 0 }], backlog: [backlogTask({ id: 't', estimatedMinutes: 0 })] })
			);
			expect(unplaced).toEqual([{ taskId: 't', reason: 'no_capacity_before_deadline' }]);
		});
	});

	describe('on a busy generated board', () => {
		const board = generatedBoard(42);
		const suggestion = suggestPlan(board);

		it('accounts for every backlog task exactly once', () => {
			const ids = [...suggestion.assignments, ...suggestion.unplaced].map((entry) => entry.taskId).sort();
			expect(ids).toEqual(board.backlog.map((task) => task.id).sort());
			expect(suggestion.assignments.length).toBeGreaterThan(0);
			expect(suggestion.unplaced.length).toBeGreaterThan(0);
		});

		it('never takes a team past its capacity on a day it had room', () => {
			const byId = new Map(board.backlog.map((task) => [task.id, task]));
			const placed = suggestion.assignments.map((a) => ({ ...byId.get(a.taskId)!, teamId: a.teamId, plannedOn: a.plannedOn }));
			const plannedOnly = laneLoad({ tasks: board.planned, teams: board.teams, days: week });
			const after = laneLoad({ tasks: [...board.planned, ...placed], teams: board.teams, days: week });
			after.forEach((lane, l) =>
				lane.days.forEach((day, d) => {
					if (day.plannedMinutes > plannedOnly[l].days[d].plannedMinutes) expect(day.plannedMinutes).toBeLessThanOrEqual(day.capacityMinutes);
				})
			);
		});

		it('keeps each task with an eligible team, between today and its deadline', () => {
			const byId = new Map(board.backlog.map((task) => [task.id, task]));
			for (const { taskId, teamId, plannedOn } of suggestion.assignments) {
				const task = byId.get(taskId)!;
				expect(board.eligibleTeams[task.serviceId]).toContain(teamId);
				expect(plannedOn >= board.today && plannedOn <= task.deadline).toBe(true);
			}
		});

		it('gives the same suggestion for the same board, whatever order the lists come in', () => {
			const reordered = { ...board, backlog: [...board.backlog].reverse(), teams: [...board.teams].reverse(), days: [...week].reverse() };
			expect(suggestPlan(board)).toEqual(suggestion);
			expect(suggestPlan(reordered)).toEqual(suggestion);
		});

		it('leaves its inputs untouched, so undoing a suggestion is just keeping the board as it was', () => {
			const frozen = deepFreeze(structuredClone(generatedBoard(42)));
			expect(suggestPlan(frozen)).toEqual(suggestion);
			expect(frozen).toEqual(generatedBoard(42));
		});
	});
});
