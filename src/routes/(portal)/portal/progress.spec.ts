import { describe, expect, it } from 'vitest';
import { summariseOrders, vehicleStep, type PortalTaskRow } from './progress';

const row = (over: Partial<PortalTaskRow>): PortalTaskRow => ({
	orderId: 'o1',
	vehicleId: 'v1',
	status: 'todo',
	service: 'Lavage',
	plate: 'AB-123-CD',
	make: 'Renault',
	model: 'Clio',
	vehicleStatus: 'on_site',
	...over
});

describe('vehicleStep', () => {
	it('names the service in progress first', () => {
		expect(
			vehicleStep('in_service', [
				{ status: 'todo', service: 'Stickers' },
				{ status: 'in_progress', service: 'Lavage' }
			])
		).toEqual({ kind: 'in_service', service: 'Lavage' });
	});

	it('waits for the next service when nothing runs', () => {
		expect(vehicleStep('on_site', [{ status: 'done', service: 'Lavage' }, { status: 'planned', service: 'Stickers' }])).toEqual({
			kind: 'waiting',
			service: 'Stickers'
		});
	});

	it('is ready once every service is done, expected while not arrived', () => {
		expect(vehicleStep('on_site', [{ status: 'validated', service: 'Lavage' }])).toEqual({ kind: 'ready' });
		expect(vehicleStep('expected', [{ status: 'todo', service: 'Lavage' }])).toEqual({ kind: 'expected' });
	});

	it('follows the vehicle once it leaves', () => {
		expect(vehicleStep('in_transit', [])).toEqual({ kind: 'in_transit' });
		expect(vehicleStep('delivered', [{ status: 'todo', service: 'Lavage' }])).toEqual({ kind: 'delivered' });
	});
});

describe('summariseOrders', () => {
	it('counts per status, leaves cancelled tasks out and groups vehicles', () => {
		const summary = summariseOrders([
			row({ status: 'done' }),
			row({ status: 'validated', service: 'Stickers' }),
			row({ status: 'in_progress', vehicleId: 'v2', plate: 'EF-456-GH' }),
			row({ status: 'cancelled', vehicleId: 'v2' }),
			row({ status: 'planned', orderId: 'o2' })
		]);
		const o1 = summary.get('o1')!;
		expect(o1.counts).toEqual({ todo: 0, planned: 0, in_progress: 1, done: 2 });
		expect([o1.done, o1.total]).toEqual([2, 3]);
		expect(o1.vehicles.map((v) => [v.plate, v.step.kind])).toEqual([
			['AB-123-CD', 'ready'],
			['EF-456-GH', 'in_service']
		]);
		expect(summary.get('o2')!.total).toBe(1);
	});
});
