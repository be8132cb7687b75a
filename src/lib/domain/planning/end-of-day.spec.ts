import { describe, expect, it } from 'vitest';
import { rollOver } from './end-of-day';
import type { PlanningTask } from './task';

const friday = '2026-11-27';
const saturday = '2026-11-28';
const nextMonday = '2026-11-30';

function task(overrides: Partial<PlanningTask> & Pick<PlanningTask, 'id'>): PlanningTask {
	return { serviceId: 'wash', estimatedMinutes: 60, deadline: nextMonday, teamId: 'prep', plannedOn: friday, status: 'planned', ...overrides };
}

const board = [
	task({ id: 'todo', status: 'todo' }),
	task({ id: 'planned' }),
	task({ id: 'started', status: 'in_progress', teamId: 'body' }),
	task({ id: 'done', status: 'done' }),
	task({ id: 'validated', status: 'validated' }),
	task({ id: 'cancelled', status: 'cancelled' }),
	task({ id: 'tomorrow', plannedOn: saturday }),
	task({ id: 'backlog', teamId: null, plannedOn: null, status: 'todo' })
];

describe('rollOver', () => {
	it('postpones unfinished tasks to the next working day with their team and status', () => {
		expect(rollOver({ tasks: board, day: friday, mode: 'postpone' })).toEqual([
			{ taskId: 'todo', from: { teamId: 'prep', plannedOn: friday, status: 'todo' }, to: { teamId: 'prep', plannedOn: saturday, status: 'todo' } },
			{ taskId: 'planned', from: { teamId: 'prep', plannedOn: friday, status: 'planned' }, to: { teamId: 'prep', plannedOn: saturday, status: 'planned' } },
			{
				taskId: 'started',
				from: { teamId: 'body', plannedOn: friday, status: 'in_progress' },
				to: { teamId: 'body', plannedOn: saturday, status: 'in_progress' }
			}
		]);
	});

	it('follows the hub calendar: weekdays worked and closed dates', () => {
		const [change] = rollOver({ tasks: [task({ id: 't' })], day: friday, mode: 'postpone', weekdays: [1, 2, 3, 4, 5] });
		expect(change.to.plannedOn).toBe(nextMonday);
		const [afterHoliday] = rollOver({ tasks: [task({ id: 't' })], day: friday, mode: 'postpone', closed: [saturday, nextMonday] });
		expect(afterHoliday.to.plannedOn).toBe('2026-12-01');
	});

	it('sends unfinished tasks back to the backlog without team, as todo, in_progress included', () => {
		const changes = rollOver({ tasks: board, day: friday, mode: 'backlog' });
		expect(changes.map((change) => change.taskId)).toEqual(['todo', 'planned', 'started']);
		for (const change of changes) expect(change.to).toEqual({ teamId: null, plannedOn: null, status: 'todo' });
		expect(changes[2].from).toEqual({ teamId: 'body', plannedOn: friday, status: 'in_progress' });
	});

	it('leaves finished, cancelled, other days and backlog tasks alone', () => {
		const untouched = board.filter((t) => ['done', 'validated', 'cancelled', 'tomorrow', 'backlog'].includes(t.id));
		expect(rollOver({ tasks: untouched, day: friday, mode: 'postpone' })).toEqual([]);
		expect(rollOver({ tasks: untouched, day: friday, mode: 'backlog' })).toEqual([]);
	});

	it('describes the changes without applying them', () => {
		const tasks = structuredClone(board);
		rollOver({ tasks, day: friday, mode: 'postpone' });
		rollOver({ tasks, day: friday, mode: 'backlog' });
		expect(tasks).toEqual(board);
	});

	it('needs no working day to send tasks to the backlog, nor when nothing is left over', () => {
		expect(rollOver({ tasks: board, day: friday, mode: 'backlog', weekdays: [] })).toHaveLength(3);
		expect(rollOver({ tasks: [], day: friday, mode: 'postpone', weekdays: [] })).toEqual([]);
		expect(() => rollOver({ tasks: board, day: friday, mode: 'postpone', weekdays: [] })).toThrow(RangeError);
	});
});
