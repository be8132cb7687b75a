import { describe, expect, it } from 'vitest';
import { backlogOf, cellKey, cellsOf, deadlineState, eligibleTeams, placementForDrop, placementsOf, type CardFacts } from './layout';
import { daysOf, periodOf, shiftPeriod, type Placement } from './model';

const task = (id: string, extra: Partial<CardFacts> = {}): CardFacts => ({
	id,
	status: 'todo',
	estimatedMinutes: 30,
	serviceId: 'wash',
	zoneKind: 'wash',
	deadline: '2026-11-30',
	teamId: null,
	assigneeId: null,
	plannedOn: null,
	startMinutes: null,
	rank: null,
	...extra
});
const at = (teamId: string, day: string, rank: string, extra: Partial<Placement> = {}): Placement => ({
	teamId,
	assigneeId: null,
	day,
	start: null,
	rank,
	...extra
});

describe('ISO weeks', () => {
	it('names the week of a day by its Thursday, across year ends', () => {
		expect(periodOf('2026-11-23')).toBe('2026-W48');
		expect(periodOf('2027-01-01')).toBe('2026-W53');
		expect(periodOf('2024-12-30')).toBe('2025-W01');
		expect(daysOf('2026-W48')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
		expect(shiftPeriod('2026-W53', 1)).toBe('2027-W01');
	});
});

describe('cells and backlog', () => {
	it('puts each card in its lane and day in rank order, and the rest in the backlog', () => {
		const tasks = [task('a'), task('b'), task('c'), task('d', { status: 'done' })];
		const cards = new Map([
			['a', at('wash', '2026-11-24', 'a2')],
			['b', at('wash', '2026-11-24', 'a1')]
		]);
		const cells = cellsOf(tasks, cards, { mode: 'teams', days: ['2026-11-24'], hours: false });
		expect(cells.get(cellKey({ lane: 'wash', day: '2026-11-24', hour: null }))?.map((t) => t.id)).toEqual(['b', 'a']);
		// A finished card off the board is not work to plan.
		expect(backlogOf(tasks, cards).map((t) => t.id)).toEqual(['c']);
	});

	it('shows what the page was rendered with until the document has synced', () => {
		const planned = task('a', { plannedOn: '2026-11-25', teamId: 'prep', rank: 'a0' });
		expect(backlogOf([planned], null)).toEqual([]);
		expect(cellsOf([planned], null, { mode: 'teams', days: ['2026-11-25'], hours: false }).size).toBe(1);
	});
});

describe('placementForDrop', () => {
	const teamOfPerson = (id: string) => (id === 'omar' ? 'wash' : null);

	it('ranks a dropped card between its new neighbours and clears the operator when the team changes', () => {
		const p = placementForDrop({
			cell: { lane: 'prep', day: '2026-11-24', hour: null },
			mode: 'teams',
			neighbours: [{ rank: 'a0' }, { rank: 'a1' }],
			index: 1,
			previous: at('wash', '2026-11-23', 'a5', { assigneeId: 'omar', start: 540 }),
			hours: false,
			teamOfPerson
		});
		expect(p.rank > 'a0' && p.rank < 'a1').toBe(true);
		expect(p).toMatchObject({ teamId: 'prep', assigneeId: null, day: '2026-11-24', start: null });
	});

	it('keeps the start time in the week view when the card stays on its day, and sets it in the day view', () => {
		const previous = at('wash', '2026-11-24', 'a0', { start: 600 });
		const base = { mode: 'teams' as const, neighbours: [], index: 0, previous, teamOfPerson };
		expect(placementForDrop({ ...base, cell: { lane: 'wash', day: '2026-11-24', hour: null }, hours: false }).start).toBe(600);
		expect(placementForDrop({ ...base, cell: { lane: 'wash', day: '2026-11-24', hour: 14 }, hours: true }).start).toBe(840);
		expect(placementForDrop({ ...base, cell: { lane: 'wash', day: '2026-11-24', hour: null }, hours: true }).start).toBeNull();
	});

	it('gives a card dropped on an operator that operator and their team', () => {
		const p = placementForDrop({
			cell: { lane: 'omar', day: '2026-11-24', hour: null },
			mode: 'operators',
			neighbours: [],
			index: 0,
			previous: null,
			hours: false,
			teamOfPerson
		});
		expect(p).toMatchObject({ teamId: 'wash', assigneeId: 'omar' });
	});
});

describe('suggestions as placements', () => {
	it('appends each suggested card after the last card of its team and day', () => {
		const cards = new Map([['x', at('wash', '2026-11-24', 'a3')]]);
		const result = placementsOf(
			[
				{ taskId: 'a', teamId: 'wash', plannedOn: '2026-11-24' },
				{ taskId: 'b', teamId: 'wash', plannedOn: '2026-11-24' }
			],
			cards
		);
		const [a, b] = [result.get('a')!, result.get('b')!];
		expect(a.rank > 'a3' && b.rank > a.rank).toBe(true);
		expect(a).toMatchObject({ teamId: 'wash', day: '2026-11-24', assigneeId: null, start: null });
	});

	it('lets a team take the services of its zones, every service when it has none set', () => {
		const teams = [
			{ id: 'wash', zoneKinds: ['wash'] },
			{ id: 'any', zoneKinds: null }
		];
		expect(
			eligibleTeams(teams, [
				{ serviceId: 's1', zoneKind: 'wash' },
				{ serviceId: 's2', zoneKind: 'bodywork' }
			])
		).toEqual({ s1: ['wash', 'any'], s2: ['any'] });
	});
});

it('flags a card planned after its deadline as late and on it as due', () => {
	expect(deadlineState('2026-11-25', '2026-11-26', '2026-11-23')).toBe('late');
	expect(deadlineState('2026-11-25', '2026-11-25', '2026-11-23')).toBe('due');
	expect(deadlineState('2026-11-25', '2026-11-24', '2026-11-23')).toBeNull();
	expect(deadlineState('2026-11-20', null, '2026-11-23')).toBe('late');
});
