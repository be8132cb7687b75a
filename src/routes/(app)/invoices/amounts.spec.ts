import { describe, expect, it } from 'vitest';
import { parseEuros, previousMonth } from './amounts';

describe('parseEuros', () => {
	it('reads French and English writing into cents', () => {
		expect(parseEuros('12')).toBe(1200);
		expect(parseEuros('12,5')).toBe(1250);
		expect(parseEuros('0.07')).toBe(7);
		expect(parseEuros('1\u202f234,56 €')).toBe(123_456);
		expect(parseEuros(' 19.99 ')).toBe(1999);
	});

	it('refuses what is not an amount', () => {
		for (const text of ['', '-5', '1,234', '12,345', 'abc', '1e3', '12..5']) expect(parseEuros(text)).toBeNull();
	});
});

describe('previousMonth', () => {
	it('steps back a month, across the new year', () => {
		expect(previousMonth('2026-03-31')).toBe('2026-02');
		expect(previousMonth('2026-01-05')).toBe('2025-12');
		expect(previousMonth('2026-11-01')).toBe('2026-10');
	});
});
