import { describe, expect, it } from 'vitest';
import { readRef } from './lookup';

describe('readRef', () => {
	it('reads a VIN, a French plate or a foreign plate as typed at the gate', () => {
		expect(readRef(' vf1rfa00067543210 ')).toEqual({ vin: 'VF1RFA00067543210', plate: null });
		expect(readRef('ab123cd')).toEqual({ vin: null, plate: 'AB-123-CD' });
		expect(readRef('B 1234 XY')).toEqual({ vin: null, plate: 'B-1234-XY' });
	});

	it('reads nothing from what cannot be a plate', () => {
		expect(readRef('?')).toEqual({ vin: null, plate: null });
		expect(readRef('a very long thing that is no plate')).toEqual({ vin: null, plate: null });
	});
});
