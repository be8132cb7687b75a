import { describe, expect, it } from 'vitest';
import { addDays, monthOf } from '../planning/calendar';
import { invoiceTotals, lineNet, perLineVat, roundHalfAwayFromZero, vatOf } from './totals';

const line = (unitPriceCents: number, vatRateBp = 2000, quantity = 1, discountCents = 0) => ({ quantity, unitPriceCents, discountCents, vatRateBp });

describe('invoice totals', () => {
	it('nets a line as quantity × unit price − discount, exactly', () => {
		expect(lineNet(line(1999, 2000, 3, 500))).toBe(5497);
	});

	it('rounds VAT once per rate on the invoice, not per line', () => {
		// Three lines of 3 cents at 20 %: per line 0.6 rounds to 1 cent each (3 in all); on the
		// invoice 9 × 20 % = 1.8 rounds to 2 cents.
		const lines = [line(3), line(3), line(3)];
		expect(perLineVat(lines)).toBe(3);
		expect(invoiceTotals(lines)).toEqual({ netCents: 9, vat: [{ rateBp: 2000, baseCents: 9, vatCents: 2 }], vatCents: 2, grossCents: 11 });
	});

	it('keeps one VAT bucket per rate, highest rate first, and sums them', () => {
		const totals = invoiceTotals([line(10_000, 550), line(2_500), line(1_999, 1000, 2), line(7_500)]);
		expect(totals.vat).toEqual([
			{ rateBp: 2000, baseCents: 10_000, vatCents: 2_000 },
			{ rateBp: 1000, baseCents: 3_998, vatCents: 400 },
			{ rateBp: 550, baseCents: 10_000, vatCents: 550 }
		]);
		expect(totals).toMatchObject({ netCents: 23_998, vatCents: 2_950, grossCents: 26_948 });
	});

	it('rounds half away from zero, like Postgres numerics', () => {
		expect(vatOf(25, 2000)).toBe(5);
		expect(vatOf(1_2345, 1000)).toBe(1235); // 1234.5 → 1235
		expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
		expect(roundHalfAwayFromZero(2.4999)).toBe(2);
	});

	it('leaves removed lines out', () => {
		expect(invoiceTotals([line(1000), { ...line(5000), removed: true }]).grossCents).toBe(1200);
	});

	it('is empty for an invoice without lines', () => {
		expect(invoiceTotals([])).toEqual({ netCents: 0, vat: [], vatCents: 0, grossCents: 0 });
	});
});

describe('periods and due dates', () => {
	it('gives the calendar month of a day, leap years included', () => {
		expect(monthOf('2026-10-15')).toEqual({ start: '2026-10-01', end: '2026-10-31' });
		expect(monthOf('2028-02-03')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
		expect(monthOf('2026-12-31')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
	});

	it('counts the payment terms in calendar days', () => {
		expect(addDays({ date: '2026-11-15', count: 30 })).toBe('2026-12-15');
		expect(addDays({ date: '2026-12-20', count: 30 })).toBe('2027-01-19');
	});
});
