import { describe, expect, it } from 'vitest';
import { normaliseVehicleRef, parseVehicleInput } from './vehicle-input';

const vin = 'VF1RJA00068123456';

describe('normaliseVehicleRef', () => {
	it('reads a VIN and upper-cases it', () => {
		expect(normaliseVehicleRef(vin)).toEqual({ kind: 'vin', value: vin });
		expect(normaliseVehicleRef(vin.toLowerCase())).toEqual({ kind: 'vin', value: vin });
	});

	it('refuses a VIN holding I, O or Q rather than guessing which digit was meant', () => {
		expect(normaliseVehicleRef('VF1RJA0006812345I')).toBeNull();
		expect(normaliseVehicleRef('VF1RJA0006812345O')).toBeNull();
		expect(normaliseVehicleRef('VF1RJA0006812345Q')).toBeNull();
	});

	it('refuses a VIN one character short or long', () => {
		expect(normaliseVehicleRef(vin.slice(1))).toBeNull();
		expect(normaliseVehicleRef(`${vin}7`)).toBeNull();
	});

	it.each(['ab123cd', 'AB 123 CD', 'ab-123-cd', 'AB-123-CD', ' ab - 123 - cd '])('writes the SIV plate %j as AB-123-CD', (typed) => {
		expect(normaliseVehicleRef(typed)).toEqual({ kind: 'plate', value: 'AB-123-CD' });
	});

	it('refuses SIV letters the registry never issues (I, O, U)', () => {
		expect(normaliseVehicleRef('AI-123-CD')).toBeNull();
		expect(normaliseVehicleRef('AB-123-CO')).toBeNull();
		expect(normaliseVehicleRef('UB-123-CD')).toBeNull();
	});

	it.each([
		['1234 AB 69', '1234-AB-69'],
		['1234ab69', '1234-AB-69'],
		['1-a-01', '1-A-01'],
		['567 ABC 13', '567-ABC-13'],
		['123 AB 2A', '123-AB-2A'],
		['45 XY 2b', '45-XY-2B'],
		['1234 AB 974', '1234-AB-974']
	])('writes the old FNI plate %j as %j', (typed, stored) => {
		expect(normaliseVehicleRef(typed)).toEqual({ kind: 'plate', value: stored });
	});

	it('keeps every plate within the stored form ^[A-Z0-9-]{4,12}$', () => {
		for (const typed of ['1234 ABC 974', '1 A 01', 'zz 999 zz']) {
			expect(normaliseVehicleRef(typed)?.value).toMatch(/^[A-Z0-9-]{4,12}$/);
		}
	});

	it.each(['', 'hello', 'AB-12-CD', 'AB-1234-CD', '12345 AB 69', '1234 ABCD 69', '1234 AB 6', 'AB-123-C€'])(
		'refuses %j',
		(typed) => {
			expect(normaliseVehicleRef(typed)).toBeNull();
		}
	);
});

describe('parseVehicleInput', () => {
	it('reads one vehicle per line, numbering lines from 1', () => {
		expect(parseVehicleInput(`${vin}\nab123cd\n1234 AB 69`)).toEqual([
			{ line: 1, input: vin, kind: 'vin', value: vin },
			{ line: 2, input: 'ab123cd', kind: 'plate', value: 'AB-123-CD' },
			{ line: 3, input: '1234 AB 69', kind: 'plate', value: '1234-AB-69' }
		]);
	});

	it('splits a line on commas, semicolons and tabs, reporting each token on its line', () => {
		expect(parseVehicleInput('AB-123-CD, EF-456-GH;JK-789-LM\tNP-012-QR\nST-345-VW')).toEqual([
			{ line: 1, input: 'AB-123-CD', kind: 'plate', value: 'AB-123-CD' },
			{ line: 1, input: 'EF-456-GH', kind: 'plate', value: 'EF-456-GH' },
			{ line: 1, input: 'JK-789-LM', kind: 'plate', value: 'JK-789-LM' },
			{ line: 1, input: 'NP-012-QR', kind: 'plate', value: 'NP-012-QR' },
			{ line: 2, input: 'ST-345-VW', kind: 'plate', value: 'ST-345-VW' }
		]);
	});

	it('accepts Windows and old Mac line endings', () => {
		expect(parseVehicleInput('AB-123-CD\r\nEF-456-GH\rJK-789-LM').map((r) => r.line)).toEqual([1, 2, 3]);
	});

	it('skips blank lines and empty cells but keeps counting lines', () => {
		expect(parseVehicleInput('\n  \nAB-123-CD,,;\n\nEF-456-GH\n')).toEqual([
			{ line: 3, input: 'AB-123-CD', kind: 'plate', value: 'AB-123-CD' },
			{ line: 5, input: 'EF-456-GH', kind: 'plate', value: 'EF-456-GH' }
		]);
	});

	it('returns nothing for an empty paste', () => {
		expect(parseVehicleInput('')).toEqual([]);
		expect(parseVehicleInput(' \n\t\n')).toEqual([]);
	});

	it('reports an unreadable token as invalid, keeping what was typed', () => {
		expect(parseVehicleInput('AB-123-CD\n  not a plate  ')).toEqual([
			{ line: 1, input: 'AB-123-CD', kind: 'plate', value: 'AB-123-CD' },
			{ line: 2, input: 'not a plate', error: 'invalid' }
		]);
	});

	it('reports a vehicle named twice on the later line, however it was typed', () => {
		expect(parseVehicleInput(`ab 123 cd\n${vin.toLowerCase()}\nAB-123-CD\n${vin}`)).toEqual([
			{ line: 1, input: 'ab 123 cd', kind: 'plate', value: 'AB-123-CD' },
			{ line: 2, input: vin.toLowerCase(), kind: 'vin', value: vin },
			{ line: 3, input: 'AB-123-CD', error: 'duplicate' },
			{ line: 4, input: vin, error: 'duplicate' }
		]);
	});

	it('reports every repeat after the first, on the same line too', () => {
		const report = parseVehicleInput('AB-123-CD, ab123cd\nAB 123 CD');
		expect(report.map((r) => ('error' in r ? r.error : r.value))).toEqual(['AB-123-CD', 'duplicate', 'duplicate']);
		expect(report.map((r) => r.line)).toEqual([1, 1, 2]);
	});

	it('does not count an invalid token as seen', () => {
		expect(parseVehicleInput('oops\noops').map((r) => ('error' in r ? r.error : r.value))).toEqual(['invalid', 'invalid']);
	});
});
