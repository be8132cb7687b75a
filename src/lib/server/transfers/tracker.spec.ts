import { describe, expect, it } from 'vitest';
import { AVERAGE_KMH, driveMinutes, estimatedArrival, parseTrackerQuery } from './tracker';

describe('the tracker’s arrival estimate', () => {
	it('adds the distance at 70 km/h to the pick-up time', () => {
		expect(AVERAGE_KMH).toBe(70);
		const pickedUp = new Date('2026-12-03T08:00:00Z');
		expect(estimatedArrival(pickedUp, 140).toISOString()).toBe('2026-12-03T10:00:00.000Z');
		expect(estimatedArrival(pickedUp, 35).toISOString()).toBe('2026-12-03T08:30:00.000Z');
	});

	it('says how long the road takes before the vehicle leaves, in whole minutes', () => {
		expect(driveMinutes(361)).toBe(309);
		expect(driveMinutes(0)).toBe(0);
	});
});

describe('the tracker’s filters', () => {
	it('keeps a site id and an open status', () => {
		const q = parseTrackerQuery(new URLSearchParams('site=d0000000-0000-4000-a001-000000000001&status=in_transit'));
		expect(q).toEqual({ site: 'd0000000-0000-4000-a001-000000000001', status: 'in_transit' });
	});

	it('drops what does not parse instead of failing the page', () => {
		expect(parseTrackerQuery(new URLSearchParams('site=lyon&status=received'))).toEqual({ site: undefined, status: undefined });
		expect(parseTrackerQuery(new URLSearchParams(''))).toEqual({ site: undefined, status: undefined });
	});
});
