import type { IsoDate } from './task';

/** ISO-8601 weekday, as Postgres `extract(isodow …)` gives it: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Hubs work Saturdays: vehicles must be ready for Monday's rentals. */
export const mondayToSaturday: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6];

export interface WorkingCalendar {
	/** Weekdays the hub works; Monday to Saturday when left out. */
	weekdays?: readonly IsoWeekday[];
	/** Dates the hub is closed although the weekday is worked: public holidays, closures. */
	closed?: readonly IsoDate[];
}

const dayInMs = 86_400_000;
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Midnight UTC of the date. Working in UTC keeps every day exactly 24 h long, so daylight-saving
 * changes in the hub's zone never skip or repeat a day.
 */
function toUtcMs(date: IsoDate): number {
	const match = isoDatePattern.exec(date);
	if (!match) throw new RangeError(`Expected a YYYY-MM-DD date, got "${date}"`);
	const utc = new Date(0);
	utc.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	const ms = utc.getTime();
	// Date silently rolls 2026-02-30 over to March; a typo must not plan work on the wrong day.
	if (fromUtcMs(ms) !== date) throw new RangeError(`"${date}" is not a calendar date`);
	return ms;
}

function fromUtcMs(ms: number): IsoDate {
	return new Date(ms).toISOString().slice(0, 10);
}

export function addDays({ date, count }: { date: IsoDate; count: number }): IsoDate {
	return fromUtcMs(toUtcMs(date) + count * dayInMs);
}

/** The calendar month holding `date`, first and last day. */
export function monthOf(date: IsoDate): { start: IsoDate; end: IsoDate } {
	const start = `${date.slice(0, 8)}01`;
	// The 28th plus four days is always in the next month; its day number says how far in.
	const nextMonth = addDays({ date: `${date.slice(0, 8)}28`, count: 4 });
	return { start, end: addDays({ date: nextMonth, count: -Number(nextMonth.slice(8, 10)) }) };
}

export function isoWeekday(date: IsoDate): IsoWeekday {
	const sundayFirst = new Date(toUtcMs(date)).getUTCDay();
	return (sundayFirst === 0 ? 7 : sundayFirst) as IsoWeekday;
}

export function isWorkingDay({ date, weekdays = mondayToSaturday, closed = [] }: WorkingCalendar & { date: IsoDate }): boolean {
	return weekdays.includes(isoWeekday(date)) && !closed.includes(date);
}

/** Working days from `from` to `to`, both included, in order; empty when `to` is before `from`. */
export function workingDays({ from, to, weekdays, closed }: WorkingCalendar & { from: IsoDate; to: IsoDate }): IsoDate[] {
	const last = toUtcMs(to);
	const days: IsoDate[] = [];
	for (let ms = toUtcMs(from); ms <= last; ms += dayInMs) {
		const date = fromUtcMs(ms);
		if (isWorkingDay({ date, weekdays, closed })) days.push(date);
	}
	return days;
}

/** The first working day strictly after `after`. */
export function nextWorkingDay({ after, weekdays = mondayToSaturday, closed }: WorkingCalendar & { after: IsoDate }): IsoDate {
	// Without a worked weekday the search would never end.
	if (weekdays.length === 0) throw new RangeError('The calendar has no working weekday');
	let date = addDays({ date: after, count: 1 });
	while (!isWorkingDay({ date, weekdays, closed })) date = addDays({ date, count: 1 });
	return date;
}
