import { describe, expect, it } from 'vitest';
import { laneLoad, loadLevel, plannedMinutesByTeamAndDay } from './load';
import type { PlanningTask } from './task';

const monday = '2026-11-23';
const tuesday = '2026-11-24';

function task(overrides: Partial<PlanningTask> & Pick<PlanningTask, 'id'>): PlanningTask {
	return { serviceId: 'wash', estimatedMinutes: 60, deadline: '2026-11-28', teamId: 'prep', plannedOn: monday, status: 'planned', ...overrides };
}

const prep = { id: 'prep', dailyCapacityMinutes: 480 };
const body = { id: 'body', dailyCapacityMinutes: 240 };

describe('loadLevel', () => {
	it('is under below 60 %, ok from 60 % to 100 % included, over above', () => {
		expect(loadLevel({ plannedMinutes: 287, capacityMinutes: 480 })).toBe('under');
		expect(loadLevel({ plannedMinutes: 288, capacityMinutes: 480 })).toBe('ok');
		expect(loadLevel({ plannedMinutes: 480, capacityMinutes: 480 })).toBe('ok');
		expect(loadLevel({ plannedMinutes: 481, capacityMinutes: 480 })).toBe('over');
	});

	it('treats a lane without capacity as over only when work is planned on it', () => {
		expect(loadLevel({ plannedMinutes: 0, capacityMinutes: 0 })).toBe('ok');
		expect(loadLevel({ plannedMinutes: 30, capacityMinutes: 0 })).toBe('over');
	});
});

describe('plannedMinutesByTeamAndDay', () => {
	it('sums planned tasks and ignores backlog cards', () => {
		const minutes = plannedMinutesByTeamAndDay([
			task({ id: 'a', estimatedMinutes: 30 }),
			task({ id: 'b', estimatedMinutes: 45 }),
			task({ id: 'c', teamId: null, plannedOn: null, status: 'todo' }),
			task({ id: 'd', plannedOn: null, status: 'todo' })
		]);
		expect(minutes.get('prep')?.get(monday)).toBe(75);
		expect(minutes.size).toBe(1);
	});
});

describe('laneLoad', () => {
	it('gives every team every day, in the order given, empty days included', () => {
		const lanes = laneLoad({ tasks: [], teams: [body, prep], days: [monday, tuesday] });
		expect(lanes.map((lane) => lane.teamId)).toEqual(['body', 'prep']);
		expect(lanes[0].days).toEqual([
			{ day: monday, plannedMinutes: 0, capacityMinutes: 240, ratio: 0, level: 'under' },
			{ day: tuesday, plannedMinutes: 0, capacityMinutes: 240, ratio: 0, level: 'under' }
		]);
	});

	it('compares planned minutes with capacity per team and day', () => {
		const lanes = laneLoad({
			tasks: [
				task({ id: 'a', estimatedMinutes: 300 }),
				task({ id: 'b', estimatedMinutes: 200 }),
				task({ id: 'c', teamId: 'body', estimatedMinutes: 180 }),
				task({ id: 'd', plannedOn: tuesday, estimatedMinutes: 120 })
			],
			teams: [prep, body],
			days: [monday, tuesday]
		});
		expect(lanes[0].days[0]).toMatchObject({ plannedMinutes: 500, ratio: 500 / 480, level: 'over' });
		expect(lanes[0].days[1]).toMatchObject({ plannedMinutes: 120, ratio: 0.25, level: 'under' });
		expect(lanes[1].days[0]).toMatchObject({ plannedMinutes: 180, ratio: 0.75, level: 'ok' });
	});

	it('frees the time of cancelled tasks but keeps finished ones on the day they were planned', () => {
		const [lane] = laneLoad({
			tasks: [
				task({ id: 'a', estimatedMinutes: 100, status: 'cancelled' }),
				task({ id: 'b', estimatedMinutes: 60, status: 'done' }),
				task({ id: 'c', estimatedMinutes: 40, status: 'validated' }),
				task({ id: 'd', estimatedMinutes: 20, status: 'in_progress' })
			],
			teams: [prep],
			days: [monday]
		});
		expect(lane.days[0].plannedMinutes).toBe(120);
	});

	it('leaves out tasks of teams and days not on the board', () => {
		const [lane] = laneLoad({
			tasks: [task({ id: 'a', teamId: 'paint' }), task({ id: 'b', plannedOn: '2026-11-30' })],
			teams: [prep],
			days: [monday]
		});
		expect(lane.days[0].plannedMinutes).toBe(0);
	});

	it('has no ratio for a team without capacity', () => {
		const [lane] = laneLoad({ tasks: [task({ id: 'a', teamId: 'off' })], teams: [{ id: 'off', dailyCapacityMinutes: 0 }], days: [monday] });
		expect(lane.days[0]).toMatchObject({ plannedMinutes: 60, ratio: null, level: 'over' });
	});
});
