import { describe, expect, it } from 'vitest';
import { changeTone } from './format';

describe('changeTone', () => {
	it('is good news when the figure moves the way it should', () => {
		expect(changeTone(0.25, true)).toBe('good');
		expect(changeTone(-0.25, true)).toBe('bad');
		// Immobilisation: lower is better.
		expect(changeTone(-0.1, false)).toBe('good');
		expect(changeTone(0.1, false)).toBe('bad');
	});

	it('is flat at no change, and absent with nothing to compare', () => {
		expect(changeTone(0, true)).toBe('flat');
		expect(changeTone(null, false)).toBeNull();
	});
});
