import { describe, expect, it } from 'vitest';
import { invoiceTotals } from '$lib/domain/invoicing/totals';
import { allocateVat } from './accounting';

const line = (netCents: number, vatRateBp = 2000) => ({ description: 'Lavage', quantity: 1, unitPriceCents: netCents, discountCents: 0, vatRateBp, netCents });

describe('allocateVat', () => {
	it('splits each rate’s VAT so the lines add up to the invoice’s, where rounding per line would not', () => {
		// Three lines of 0.05 € at 10 %: 0.5 cent each, 1.5 → 2 cents on the invoice, 3 if rounded per line.
		const lines = [line(5, 1000), line(5, 1000), line(5, 1000), line(1999), line(2)];
		const split = allocateVat(lines);
		const totals = invoiceTotals(lines);
		expect(split.reduce((sum, l) => sum + l.vatCents, 0)).toBe(totals.vatCents);
		for (const bucket of totals.vat) {
			expect(split.filter((l) => l.vatRateBp === bucket.rateBp).reduce((sum, l) => sum + l.vatCents, 0)).toBe(bucket.vatCents);
		}
		expect(split.filter((l) => l.vatRateBp === 1000).map((l) => l.vatCents)).toEqual([1, 1, 0]);
	});

	it('gives an exact line its exact VAT and keeps the other fields', () => {
		expect(allocateVat([line(12_000)])).toEqual([{ ...line(12_000), vatCents: 2400 }]);
		expect(allocateVat([line(1000, 0)])[0].vatCents).toBe(0);
		expect(allocateVat([])).toEqual([]);
	});
});
