import { describe, expect, it } from 'vitest';
import { kpiQueryString, parseKpiQuery, resolvePeriod } from './query';

const parse = (query: string, locale: 'fr' | 'en' = 'en') => parseKpiQuery(new URLSearchParams(query), locale);
const site = '0b0e4f9e-5a8c-4c1e-9d3e-2f0a1b2c3d4e';

describe('parseKpiQuery', () => {
	it('reads the presets, this week by default, empty fields as absent', () => {
		expect(parse('')).toEqual({ ok: true, query: { period: 'week' } });
		expect(parse('period=month&start=&end=&site=')).toEqual({ ok: true, query: { period: 'month' } });
		expect(parse(`period=today&site=${site}`)).toEqual({ ok: true, query: { period: 'today', site } });
		// A preset ignores dates left in the form.
		expect(parse('period=week&start=garbage')).toEqual({ ok: true, query: { period: 'week' } });
	});

	it('reads a custom period of up to 366 days', () => {
		expect(parse('period=custom&start=2026-11-01&end=2026-11-30')).toEqual({ ok: true, query: { period: 'custom', start: '2026-11-01', end: '2026-11-30' } });
		expect(parse('period=custom&start=2026-11-01&end=2026-11-01').ok).toBe(true);
		expect(parse('period=custom&start=2028-01-01&end=2028-12-31').ok).toBe(true);
	});

	it('refuses a bad query field by field, in the reader’s language', () => {
		expect(parse('period=year&site=lyon')).toEqual({
			ok: false,
			errors: { period: ['Choose today, this week, this month or a custom period.'], site: ['Invalid site.'] }
		});
		expect(parse('period=custom&end=2026-02-30')).toEqual({
			ok: false,
			errors: { start: ['Required for a custom period.'], end: ['Invalid date (YYYY-MM-DD).'] }
		});
		expect(parse('period=custom&start=2026-11-30&end=2026-11-01', 'fr')).toEqual({
			ok: false,
			errors: { end: ['La fin doit tomber le jour du début ou après.'] }
		});
		expect(parse('period=custom&start=2026-01-01&end=2027-01-02')).toEqual({ ok: false, errors: { end: ['A period is at most 366 days long.'] } });
	});
});

describe('resolvePeriod', () => {
	it('places the presets around today and keeps custom days', () => {
		expect(resolvePeriod({ period: 'today' }, '2026-11-18')).toEqual({ start: '2026-11-18', end: '2026-11-18' });
		expect(resolvePeriod({ period: 'week' }, '2026-11-18')).toEqual({ start: '2026-11-16', end: '2026-11-22' });
		expect(resolvePeriod({ period: 'month' }, '2026-11-18')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
		expect(resolvePeriod({ period: 'custom', start: '2026-01-05', end: '2026-02-01' }, '2026-11-18')).toEqual({ start: '2026-01-05', end: '2026-02-01' });
	});
});

describe('kpiQueryString', () => {
	it('gives back a query that parses to the same, with extra parameters', () => {
		const query = { period: 'custom', start: '2026-11-01', end: '2026-11-30', site } as const;
		const text = kpiQueryString(query, { panel: 'sites' });
		expect(text).toBe(`?period=custom&start=2026-11-01&end=2026-11-30&site=${site}&panel=sites`);
		expect(parse(text.slice(1))).toEqual({ ok: true, query });
		expect(kpiQueryString({ period: 'week' })).toBe('?period=week');
	});
});
