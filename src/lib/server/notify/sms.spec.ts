import { describe, expect, it } from 'vitest';
import { smsText, toE164 } from './sms';

describe('phone numbers for the SMS gateway', () => {
	it('accepts international and French national numbers, written with spaces or dots', () => {
		expect(toE164('+33 6 12 34 56 78')).toBe('+33612345678');
		expect(toE164('06.12.34.56.78')).toBe('+33612345678');
		expect(toE164('0044 20 7946 0958')).toBe('+442079460958');
	});

	it('refuses what no gateway could deliver', () => {
		expect(toE164('12')).toBeNull();
		expect(toE164('+33 6 12 34 ab')).toBeNull();
		expect(toE164('')).toBeNull();
	});
});

describe('SMS text', () => {
	it('keeps the link whole and shortens the title to fit one segment', () => {
		const url = 'https://relais.example/transfers/0b0c2f8e-6c7e-4c55-9f7a-2b1f0e4d9a11';
		const text = smsText('Transfert '.repeat(20), url);
		expect(text.length).toBeLessThanOrEqual(160);
		expect(text.endsWith(` ${url}`)).toBe(true);
		expect(smsText('Transfert livré', url)).toBe(`Transfert livré ${url}`);
	});
});
