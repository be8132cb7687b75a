import { describe, expect, it } from 'vitest';
import { foldName, haversineKm } from './geo';

describe('haversineKm', () => {
	it('measures Paris to Lyon as the crow flies (≈ 392 km)', () => {
		expect(haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 45.764, lon: 4.8357 })).toBeCloseTo(392, -1);
	});
});

describe('foldName', () => {
	it('ignores accents, case, hyphens and apostrophes', () => {
		expect(foldName('Saint-Étienne')).toBe('saint etienne');
		expect(foldName("L'Haÿ-les-Roses")).toBe('l hay les roses');
	});
});
