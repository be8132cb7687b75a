import { describe, expect, it } from 'vitest';
import { asYardError, YardError } from './errors';

describe('asYardError', () => {
	it('turns a taken bay into a 409 on the bay field, from the function or from the index', () => {
		for (const raised of [{ code: '23505', hint: 'bay_taken' }, { code: '23505', constraint: 'vehicles_one_per_bay' }]) {
			const err = asYardError(raised, 'fr') as YardError;
			expect(err).toBeInstanceOf(YardError);
			expect([err.status, err.code]).toEqual([409, 'bay_taken']);
			expect(err.errors.bayId).toEqual(['Cette place est déjà occupée : choisissez-en une autre.']);
		}
	});

	it('tells a refusal by row-level security from a missing vehicle', () => {
		expect((asYardError({ code: '42501' }, 'en') as YardError).code).toBe('forbidden');
		expect((asYardError({ code: 'P0002', hint: 'vehicle_not_found' }, 'en') as YardError).errors.vehicleId).toEqual(['Vehicle not found.']);
	});

	it('rethrows what it does not know', () => {
		const boom = new Error('connection lost');
		expect(asYardError(boom, 'fr')).toBe(boom);
	});
});
