import { describe, expect, it } from 'vitest';
import { routeBetween } from './route';

describe('routeBetween (straight-line estimate)', () => {
	it('gives Lyon → Marseille about 1.3 times the 278 km as the crow flies, drawn as one straight segment', () => {
		const lyon = { lat: 45.764, lon: 4.8357 };
		const marseille = { lat: 43.2965, lon: 5.3698 };
		const route = routeBetween(lyon, marseille);
		// Great-circle distance 277.6 km (haversine, R = 6371 km) × 1.3.
		expect(route.km).toBeGreaterThan(358);
		expect(route.km).toBeLessThan(364);
		expect(route.coordinates).toEqual([
			[4.8357, 45.764],
			[5.3698, 43.2965]
		]);
	});

	it('is zero between a point and itself, and the same both ways', () => {
		const hub = { lat: 45.7215, lon: 5.0805 };
		const grenoble = { lat: 45.1697, lon: 5.7131 };
		expect(routeBetween(hub, hub).km).toBe(0);
		expect(routeBetween(hub, grenoble).km).toBe(routeBetween(grenoble, hub).km);
	});
});
