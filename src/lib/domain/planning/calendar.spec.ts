import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, isWorkingDay, nextWorkingDay, workingDays } from './calendar';

// Week of Monday 2026-11-23; Wednesday 2026-11-11 is Armistice Day, a French public holiday.

describe('isoWeekday', () => {
	it('numbers Monday 1 and Sunday 7', () => {
		expect(isoWeekday('2026-11-23')).toBe(1);
		expect(isoWeekday('2026-11-28')).toBe(6);
		expect(isoWeekday('2026-11-29')).toBe(7);
	});

	it('refuses what is not a YYYY-MM-DD calendar date rather than guess', () => {
		expect(() => isoWeekday('2026-02-30')).toThrow(RangeError);
		expect(() => isoWeekday('23/11/2026')).toThrow(RangeError);
		expect(() => isoWeekday('2026-11-23T10:00:00Z')).toThrow(RangeError);
	});
});

describe('addDays', () => {
	it('crosses month, year and leap-day boundaries', () => {
		expect(addDays({ date: '2026-11-30', count: 1 })).toBe('2026-12-01');
		expect(addDays({ date: '2026-12-31', count: 1 })).toBe('2027-01-01');
		expect(addDays({ date: '2028-02-28', count: 1 })).toBe('2028-02-29');
		expect(addDays({ date: '2027-01-01', count: -1 })).toBe('2026-12-31');
	});

	it('counts whole days across daylight-saving changes', () => {
		// Europe switches to summer time on 2026-03-29 and back on 2026-10-25.
		expect(addDays({ date: '2026-03-28', count: 2 })).toBe('2026-03-30');
		expect(addDays({ date: '2026-10-24', count: 2 })).toBe('2026-10-26');
	});
});

describe('isWorkingDay', () => {
	it('works Monday to Saturday unless told otherwise', () => {
		expect(isWorkingDay({ date: '2026-11-28' })).toBe(true);
		expect(isWorkingDay({ date: '2026-11-29' })).toBe(false);
		expect(isWorkingDay({ date: '2026-11-28', weekdays: [1, 2, 3, 4, 5] })).toBe(false);
	});

	it('is false on a closed date', () => {
		expect(isWorkingDay({ date: '2026-11-11', closed: ['2026-11-11'] })).toBe(false);
	});
});

describe('workingDays', () => {
	it('lists Monday to Saturday of a week by default, both ends included', () => {
		expect(workingDays({ from: '2026-11-23', to: '2026-11-29' })).toEqual([
			'2026-11-23',
			'2026-11-24',
			'2026-11-25',
			'2026-11-26',
			'2026-11-27',
			'2026-11-28'
		]);
	});

	it('follows the configured weekdays and skips closed dates', () => {
		expect(workingDays({ from: '2026-11-09', to: '2026-11-15', weekdays: [1, 2, 3, 4, 5], closed: ['2026-11-11'] })).toEqual([
			'2026-11-09',
			'2026-11-10',
			'2026-11-12',
			'2026-11-13'
		]);
	});

	it('runs across a month end', () => {
		expect(workingDays({ from: '2026-11-28', to: '2026-12-01' })).toEqual(['2026-11-28', '2026-11-30', '2026-12-01']);
	});

	it('is a single day when from and to are the same working day, and empty when reversed', () => {
		expect(workingDays({ from: '2026-11-24', to: '2026-11-24' })).toEqual(['2026-11-24']);
		expect(workingDays({ from: '2026-11-25', to: '2026-11-24' })).toEqual([]);
	});
});

describe('nextWorkingDay', () => {
	it('is the next day within the week', () => {
		expect(nextWorkingDay({ after: '2026-11-23' })).toBe('2026-11-24');
	});

	it('skips Sunday after a Saturday, and the weekend on a Monday-to-Friday calendar', () => {
		expect(nextWorkingDay({ after: '2026-11-28' })).toBe('2026-11-30');
		expect(nextWorkingDay({ after: '2026-11-27', weekdays: [1, 2, 3, 4, 5] })).toBe('2026-11-30');
	});

	it('skips closed dates, even several in a row', () => {
		expect(nextWorkingDay({ after: '2026-12-24', closed: ['2026-12-25', '2026-12-26'] })).toBe('2026-12-28');
	});

	it('is found even when asked from a non-working day', () => {
		expect(nextWorkingDay({ after: '2026-11-29' })).toBe('2026-11-30');
	});

	it('refuses a calendar with no working weekday instead of searching forever', () => {
		expect(() => nextWorkingDay({ after: '2026-11-23', weekdays: [] })).toThrow(RangeError);
	});
});
