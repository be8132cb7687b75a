import { describe, expect, it } from 'vitest';
import { fitWithin, gateInSchema } from './gate';

const key = '7f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const site = 'd0000000-0000-4000-a001-000000000001';

describe('gateInSchema', () => {
	it('reads plates and VINs as people type them', () => {
		const r = gateInSchema.parse({ siteId: site, plate: 'ab 123 cd', vin: 'vf1 rfa00067543210', idempotencyKey: key });
		expect(r.plate).toBe('AB-123-CD');
		expect(r.vin).toBe('VF1RFA00067543210');
		expect(r.damages).toEqual([]);
	});

	it('needs a plate or a VIN, and refuses a VIN with an O', () => {
		expect(gateInSchema.safeParse({ siteId: site, idempotencyKey: key }).error?.issues[0].path).toEqual(['plate']);
		expect(gateInSchema.safeParse({ siteId: site, vin: 'VF1RFA0006754321O', idempotencyKey: key }).success).toBe(false);
	});

	it('refuses a damage point off the diagram or of an unknown kind', () => {
		const base = { siteId: site, plate: 'AB-123-CD', idempotencyKey: key };
		expect(gateInSchema.safeParse({ ...base, damages: [{ x: 0.5, y: 1.2, zone: 'roof', kind: 'dent', severity: 1 }] }).success).toBe(false);
		expect(gateInSchema.safeParse({ ...base, damages: [{ x: 0.5, y: 0.5, zone: 'roof', kind: 'hail', severity: 1 }] }).success).toBe(false);
		expect(gateInSchema.safeParse({ ...base, damages: [{ x: 0.5, y: 0.5, zone: 'roof', kind: 'dent', severity: 2 }] }).success).toBe(true);
	});
});

describe('fitWithin', () => {
	it('shrinks the longer side to 1600 px and keeps the proportions', () => {
		expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 });
		expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
	});

	it('never enlarges a small photo', () => {
		expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
	});
});
