import { describe, expect, it } from 'vitest';
import { nearestDealership } from '../../domain/crm/assignment';
import { coordinatesOf } from './postcodes';

// The demo group's dealerships, where supabase/seed.sql puts them.
const dealerships = [
	{ id: 'CON-LYV', latitude: 45.7755, longitude: 4.8062 },
	{ id: 'CON-GRE', latitude: 45.1697, longitude: 5.7131 },
	{ id: 'CON-MRP', latitude: 43.2719, longitude: 5.3888 }
];

/** The nearest-site rule on the shipped postcode coordinates (data/crm/postcodes.json.gz). */
const nearest = (postcode: string, maxKm?: number) => {
	const from = coordinatesOf(postcode);
	if (!from) return null;
	const found = nearestDealership(from, dealerships, maxKm);
	return found && { site: found.site.id, km: Math.round(found.km) };
};

describe('postcode coordinates shipped as data', () => {
	it('places postcodes at their communes', () => {
		expect(coordinatesOf('38000')).toEqual({ lat: expect.closeTo(45.19, 1), lon: expect.closeTo(5.72, 1) });
		expect(coordinatesOf(' 69009 ')).toEqual({ lat: expect.closeTo(45.77, 1), lon: expect.closeTo(4.8, 1) });
	});

	it('knows no coordinates for an unknown postcode, nor for none', () => {
		expect(coordinatesOf('00000')).toBeNull();
		expect(coordinatesOf('')).toBeNull();
		expect(coordinatesOf(null)).toBeNull();
	});

	it('sends a customer to the dealership nearest their postcode, with the distance', () => {
		expect(nearest('38000')).toEqual({ site: 'CON-GRE', km: expect.any(Number) });
		expect(nearest('38000')!.km).toBeLessThan(5);
		expect(nearest('69003')).toMatchObject({ site: 'CON-LYV' });
		// Aix-en-Provence: Marseille Prado, about 25 km as the crow flies.
		expect(nearest('13100')).toMatchObject({ site: 'CON-MRP' });
		expect(nearest('13100')!.km).toBeGreaterThan(18);
		expect(nearest('13100')!.km).toBeLessThan(35);
		// Chambéry is nearer Grenoble (about 50 km) than Lyon (about 85 km).
		expect(nearest('73000')).toMatchObject({ site: 'CON-GRE' });
	});

	it('finds no site past the rule’s maximum distance (Brest is 800 km from the nearest)', () => {
		expect(nearest('29200', 150)).toBeNull();
		expect(nearest('29200')).toMatchObject({ site: 'CON-LYV' });
	});
});
