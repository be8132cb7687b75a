import { describe, expect, it } from 'vitest';
import { isBlocked, orderWorkflow, vehicleStage, workflowStages, type WorkflowTask, type WorkflowVehicle } from './workflow';

const task = (status: WorkflowTask['status'], plannedOn: string | null = null): WorkflowTask => ({ status, plannedOn });
const vehicle = (over: Partial<WorkflowVehicle> = {}): WorkflowVehicle => ({ vehicleStatus: 'expected', tasks: [], hasGateIn: false, ...over });

describe('vehicleStage', () => {
	it('is received when nothing is planned', () => {
		expect(vehicleStage(vehicle({ tasks: [task('todo')] }))).toBe('received');
		expect(vehicleStage(vehicle())).toBe('received');
	});

	it('is received while only some tasks have a day', () => {
		expect(vehicleStage(vehicle({ tasks: [task('planned', '2026-11-24'), task('todo')] }))).toBe('received');
	});

	it('is planned when every task has a day but the vehicle is not there', () => {
		expect(vehicleStage(vehicle({ tasks: [task('planned', '2026-11-24'), task('todo', '2026-11-25')] }))).toBe('planned');
	});

	it('ignores cancelled tasks when deciding planned', () => {
		expect(vehicleStage(vehicle({ tasks: [task('planned', '2026-11-24'), task('cancelled')] }))).toBe('planned');
	});

	it('is on site after a gate-in, or with an at-site status, when nothing started', () => {
		expect(vehicleStage(vehicle({ hasGateIn: true, tasks: [task('todo')] }))).toBe('on_site');
		expect(vehicleStage(vehicle({ vehicleStatus: 'on_site', tasks: [task('planned', '2026-11-24')] }))).toBe('on_site');
	});

	it('is in service when a task runs', () => {
		expect(vehicleStage(vehicle({ vehicleStatus: 'on_site', tasks: [task('in_progress'), task('todo')] }))).toBe('in_service');
	});

	it('is in service when some tasks are done and some are not', () => {
		expect(vehicleStage(vehicle({ vehicleStatus: 'on_site', tasks: [task('done'), task('planned', '2026-11-24')] }))).toBe('in_service');
	});

	it('is ready when every task that counts is done or validated', () => {
		expect(vehicleStage(vehicle({ vehicleStatus: 'in_service', tasks: [task('done'), task('validated'), task('cancelled')] }))).toBe('ready');
	});

	it('is not ready with only cancelled tasks', () => {
		expect(vehicleStage(vehicle({ hasGateIn: true, tasks: [task('cancelled')] }))).toBe('on_site');
	});

	it('is delivered with the delivered status or a gate-out, whatever the tasks', () => {
		expect(vehicleStage(vehicle({ vehicleStatus: 'delivered', tasks: [task('todo')] }))).toBe('delivered');
		expect(vehicleStage(vehicle({ vehicleStatus: 'ready', hasGateOut: true, tasks: [task('done')] }))).toBe('delivered');
	});

	it('is invoiced only with the invoiced flag', () => {
		expect(vehicleStage(vehicle({ vehicleStatus: 'delivered', invoiced: true }))).toBe('invoiced');
		expect(vehicleStage(vehicle({ vehicleStatus: 'delivered' }))).toBe('delivered');
	});
});

describe('isBlocked', () => {
	const today = '2026-11-23';

	it('flags an expected vehicle whose work was planned for a past day', () => {
		expect(isBlocked(vehicle({ tasks: [task('planned', '2026-11-20')] }), today)).toBe(true);
	});

	it('flags a vehicle on site with past work not done', () => {
		expect(isBlocked(vehicle({ vehicleStatus: 'on_site', tasks: [task('done', '2026-11-20'), task('in_progress', '2026-11-21')] }), today)).toBe(true);
	});

	it('does not flag work planned today or later, unplanned, done or cancelled', () => {
		expect(isBlocked(vehicle({ tasks: [task('planned', today), task('todo', '2026-11-30'), task('todo')] }), today)).toBe(false);
		expect(isBlocked(vehicle({ vehicleStatus: 'on_site', tasks: [task('done', '2026-11-20'), task('cancelled', '2026-11-19'), task('todo')] }), today)).toBe(
			false
		);
	});

	it('does not flag a delivered vehicle', () => {
		expect(isBlocked(vehicle({ vehicleStatus: 'delivered', tasks: [task('todo', '2026-11-01')] }), today)).toBe(false);
	});
});

describe('orderWorkflow', () => {
	const today = '2026-11-23';
	const ready = vehicle({ vehicleStatus: 'ready', tasks: [task('done')] });
	const onSite = vehicle({ hasGateIn: true, tasks: [task('todo')] });
	const delivered = vehicle({ vehicleStatus: 'delivered' });

	it('counts vehicles at or beyond each stage', () => {
		const flow = orderWorkflow({ deadline: '2026-12-01', today, vehicles: [ready, onSite, delivered] });
		expect(flow.reached).toEqual({ received: 3, planned: 3, on_site: 3, in_service: 2, ready: 2, delivered: 1, invoiced: 0 });
		expect(flow.stages).toEqual(['ready', 'on_site', 'delivered']);
		expect(flow.total).toBe(3);
	});

	it('stands where its least advanced vehicle stands', () => {
		expect(orderWorkflow({ deadline: '2026-12-01', today, vehicles: [ready, onSite, delivered] }).current).toBe('on_site');
		expect(orderWorkflow({ deadline: '2026-12-01', today, vehicles: [ready, delivered] }).current).toBe('ready');
	});

	it('is received with no vehicle, and never late then', () => {
		const flow = orderWorkflow({ deadline: '2026-11-01', today, vehicles: [] });
		expect(flow.current).toBe('received');
		expect(flow.late).toBe(false);
		expect(Object.values(flow.reached).every((n) => n === 0)).toBe(true);
	});

	it('is late past the deadline with a vehicle not ready', () => {
		expect(orderWorkflow({ deadline: '2026-11-22', today, vehicles: [ready, onSite] }).late).toBe(true);
	});

	it('is not late on the deadline day itself', () => {
		expect(orderWorkflow({ deadline: today, today, vehicles: [onSite] }).late).toBe(false);
	});

	it('is not late past the deadline once every vehicle is ready or delivered', () => {
		expect(orderWorkflow({ deadline: '2026-11-01', today, vehicles: [ready, delivered] }).late).toBe(false);
	});

	it('lists the blocked vehicles by position', () => {
		const stuck = vehicle({ tasks: [task('planned', '2026-11-20')] });
		expect(orderWorkflow({ deadline: '2026-12-01', today, vehicles: [ready, stuck, onSite] }).blocked).toEqual([1]);
	});

	it('keeps the stages in their fixed order', () => {
		expect(workflowStages).toEqual(['received', 'planned', 'on_site', 'in_service', 'ready', 'delivered', 'invoiced']);
	});
});
