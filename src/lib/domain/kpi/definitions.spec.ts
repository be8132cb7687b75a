import { describe, expect, it } from 'vitest';
import { bucketOf, change, kpiDefinitions, periodFor, previousPeriod, workingDays } from './definitions';

describe('previousPeriod', () => {
	it('is the same length, immediately before', () => {
		// 7 days (Mon 2026-11-02 … Sun 2026-11-08) → the 7 days before.
		expect(previousPeriod({ start: '2026-11-02', end: '2026-11-08' })).toEqual({ start: '2026-10-26', end: '2026-11-01' });
		// one day → the day before, across a year boundary.
		expect(previousPeriod({ start: '2027-01-01', end: '2027-01-01' })).toEqual({ start: '2026-12-31', end: '2026-12-31' });
	});

	it('counts the leap day', () => {
		// 2028-03-01 … 2028-03-31 is 31 days; 31 days back from 2028-03-01 starts on 2028-01-30
		// (February 2028 has 29 days: 29 + 2 days of January).
		expect(previousPeriod({ start: '2028-03-01', end: '2028-03-31' })).toEqual({ start: '2028-01-30', end: '2028-02-29' });
		// The same in 2027 (28 days in February): 28 + 3 days of January.
		expect(previousPeriod({ start: '2027-03-01', end: '2027-03-31' })).toEqual({ start: '2027-01-29', end: '2027-02-28' });
	});
});

describe('periodFor', () => {
	it('gives today as a one-day period', () => {
		expect(periodFor('today', '2026-11-18')).toEqual({ start: '2026-11-18', end: '2026-11-18' });
	});

	it('gives the ISO week, Monday to Sunday', () => {
		// 2026-11-18 is a Wednesday.
		expect(periodFor('week', '2026-11-18')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
		// A Monday and a Sunday stay in their own week.
		expect(periodFor('week', '2026-11-16')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
		expect(periodFor('week', '2026-11-22')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
	});

	it('gives a week across a month and a year boundary', () => {
		// 2026-10-01 is a Thursday: its week starts on Monday 2026-09-28.
		expect(periodFor('week', '2026-10-01')).toEqual({ start: '2026-09-28', end: '2026-10-04' });
		// 2027-01-01 is a Friday: ISO week 53 of 2026, Monday 2026-12-28 to Sunday 2027-01-03.
		expect(periodFor('week', '2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
	});

	it('gives the calendar month, leap February included', () => {
		expect(periodFor('month', '2026-11-18')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
		expect(periodFor('month', '2026-12-31')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
		expect(periodFor('month', '2028-02-10')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
		expect(periodFor('month', '2027-02-10')).toEqual({ start: '2027-02-01', end: '2027-02-28' });
	});

	it('refuses a date that does not exist', () => {
		expect(() => periodFor('month', '2027-02-29')).toThrow(RangeError);
	});
});

describe('workingDays', () => {
	it('counts Monday to Friday, both ends included', () => {
		// Mon 2026-11-16 … Sun 2026-11-22: 5.
		expect(workingDays('2026-11-16', '2026-11-22')).toBe(5);
		// A Saturday alone: 0; a Wednesday alone: 1.
		expect(workingDays('2026-11-21', '2026-11-21')).toBe(0);
		expect(workingDays('2026-11-18', '2026-11-18')).toBe(1);
		// November 2026: starts on a Sunday, 30 days = 4 full weeks (20) + Sun 29 and Mon 30 (1) = 21.
		expect(workingDays('2026-11-01', '2026-11-30')).toBe(21);
		// February 2028 (leap, starts on a Tuesday): 4 weeks (20) + Tue 29 (1) = 21.
		expect(workingDays('2028-02-01', '2028-02-29')).toBe(21);
		// Across the year: Mon 2026-12-28 … Sun 2027-01-03 = 5.
		expect(workingDays('2026-12-28', '2027-01-03')).toBe(5);
	});

	it('is 0 when the end is before the start', () => {
		expect(workingDays('2026-11-18', '2026-11-17')).toBe(0);
	});
});

describe('change', () => {
	it('is relative to the previous value', () => {
		expect(change(15, 12)).toBe(0.25); // (15 − 12) / 12
		expect(change(9, 12)).toBe(-0.25); // (9 − 12) / 12
		expect(change(12, 12)).toBe(0);
		expect(change(0, 4)).toBe(-1);
	});

	it('is null from 0 or from nothing', () => {
		expect(change(5, 0)).toBeNull();
		expect(change(0, 0)).toBeNull();
		expect(change(5, null)).toBeNull();
		expect(change(null, 5)).toBeNull();
	});

	it('keeps its sign when the previous value is negative (revenue after credit notes)', () => {
		expect(change(-50, -100)).toBe(0.5); // (−50 − −100) / 100: better
	});
});

describe('bucketOf', () => {
	it('puts each lower bound in the bucket it opens', () => {
		expect(bucketOf(0)).toBe('lt_24h');
		expect(bucketOf(23.99)).toBe('lt_24h');
		expect(bucketOf(24)).toBe('h24_48');
		expect(bucketOf(47.5)).toBe('h24_48');
		expect(bucketOf(48)).toBe('h48_72');
		expect(bucketOf(72)).toBe('d3_7');
		expect(bucketOf(167.9)).toBe('d3_7');
		expect(bucketOf(168)).toBe('gte_7d');
		expect(bucketOf(1000)).toBe('gte_7d');
		expect(bucketOf(-1)).toBe('lt_24h');
	});
});

describe('the catalogue', () => {
	it('has unique ids, both languages, and a reason for every unavailable KPI', () => {
		const ids = kpiDefinitions.map((k) => k.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const k of kpiDefinitions) {
			expect(k.definition.fr.length).toBeGreaterThan(10);
			expect(k.definition.en.length).toBeGreaterThan(10);
			if (!k.available) expect(k.reason.fr && k.reason.en).toBeTruthy();
		}
		expect(kpiDefinitions.filter((k) => !k.available).map((k) => k.id)).toEqual(['margin_per_vehicle_cents', 'stock_rotation']);
	});
});
