import { describe, expect, it } from 'vitest';
import { damageZones, zoneAt, zoneCentre } from './damage';

describe('zoneAt', () => {
	it('names the part under a tap on the top view', () => {
		expect(zoneAt(0.5, 0.02)).toBe('front_bumper');
		expect(zoneAt(0.5, 0.2)).toBe('bonnet');
		expect(zoneAt(0.1, 0.2)).toBe('front_left');
		expect(zoneAt(0.9, 0.3)).toBe('front_right_wheel');
		expect(zoneAt(0.5, 0.5)).toBe('roof');
		expect(zoneAt(0.05, 0.5)).toBe('left_doors');
		expect(zoneAt(0.95, 0.7)).toBe('rear_right_wheel');
		expect(zoneAt(0.5, 0.8)).toBe('boot');
		expect(zoneAt(0.2, 0.99)).toBe('rear_bumper');
	});

	it('keeps the edges of the diagram on the car', () => {
		expect(zoneAt(0, 0)).toBe('front_bumper');
		expect(zoneAt(1, 1)).toBe('rear_bumper');
	});
});

describe('zoneCentre', () => {
	it('puts a point chosen from the list inside the part it names', () => {
		for (const zone of damageZones) {
			const { x, y } = zoneCentre(zone);
			expect(zoneAt(x, y), zone).toBe(zone);
		}
	});
});
