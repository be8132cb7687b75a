import { describe, expect, it } from 'vitest';
import { bandIssues, convoyTariffSchema, DEFAULT_CONVOY_TARIFF, quoteConvoy, quoteRequestSchema, type ConvoyTariff } from './tariff';

const tariff: ConvoyTariff = {
	bands: [
		{ upToKm: 100, centsPerKm: 100 },
		{ upToKm: 300, centsPerKm: 80 },
		{ upToKm: null, centsPerKm: 50 }
	],
	minimumCents: 5000,
	surchargePercent: { city_car: 0, sedan: 10, suv: 15, van: 25, premium: 33 }
};

describe('quoteConvoy', () => {
	it('charges each km at the rate of the band it falls in', () => {
		const q = quoteConvoy({ km: 450, category: 'city_car', tariff });
		expect(q.bands.map((b) => [b.km, b.cents])).toEqual([
			[100, 10000],
			[200, 16000],
			[150, 7500]
		]);
		expect(q.totalCents).toBe(33500);
	});

	it('stops at the band the distance ends in', () => {
		const q = quoteConvoy({ km: 180, category: 'city_car', tariff });
		expect(q.bands).toHaveLength(2);
		expect(q.totalCents).toBe(100 * 100 + 80 * 80);
	});

	it('never charges less for one more km across a band edge', () => {
		const at = (km: number) => quoteConvoy({ km, category: 'city_car', tariff }).totalCents;
		for (const edge of [100, 300]) expect(at(edge + 1)).toBeGreaterThan(at(edge));
	});

	it('applies the minimum to short trips and says so', () => {
		const q = quoteConvoy({ km: 12, category: 'city_car', tariff });
		expect(q.minimumApplied).toBe(true);
		expect(q.totalCents).toBe(5000);
		expect(quoteConvoy({ km: 60, category: 'city_car', tariff }).minimumApplied).toBe(false);
	});

	it('adds the category surcharge after the minimum', () => {
		expect(quoteConvoy({ km: 12, category: 'van', tariff }).totalCents).toBe(6250);
		const q = quoteConvoy({ km: 200, category: 'suv', tariff });
		expect(q.surchargeCents).toBe(2700);
		expect(q.totalCents).toBe(18000 + 2700);
	});

	it('bills whole km and rounds the surcharge to the cent', () => {
		expect(quoteConvoy({ km: 99.4, category: 'city_car', tariff }).billedKm).toBe(99);
		expect(quoteConvoy({ km: 99.5, category: 'city_car', tariff }).billedKm).toBe(100);
		// 33 % of 100.01 € is 33.0033 €: 33.00 €
		const q = quoteConvoy({ km: 1, category: 'premium', tariff: { ...tariff, minimumCents: 10001 } });
		expect(q.surchargeCents).toBe(3300);
		expect(q.totalCents).toBe(13301);
	});

	it('prices a zero-km convoy at the minimum', () => {
		expect(quoteConvoy({ km: 0, category: 'city_car', tariff }).totalCents).toBe(5000);
	});
});

describe('tariff validation', () => {
	it('accepts the default tariff', () => {
		expect(convoyTariffSchema.safeParse(DEFAULT_CONVOY_TARIFF).success).toBe(true);
	});

	it('wants rising bands with only the last one open-ended', () => {
		expect(bandIssues([{ upToKm: 100 }, { upToKm: 100 }, { upToKm: null }])).toEqual([{ index: 1, issue: 'increasing_bands' }]);
		expect(bandIssues([{ upToKm: null }, { upToKm: 100 }])).toEqual([
			{ index: 0, issue: 'bounded_band' },
			{ index: 1, issue: 'open_last_band' }
		]);
		expect(bandIssues(tariff.bands)).toEqual([]);
	});

	it('refuses a negative rate or a surcharge missing for a category', () => {
		expect(convoyTariffSchema.safeParse({ ...tariff, bands: [{ upToKm: null, centsPerKm: -1 }] }).success).toBe(false);
		const { van: _van, ...withoutVan } = tariff.surchargePercent;
		expect(convoyTariffSchema.safeParse({ ...tariff, surchargePercent: withoutVan }).success).toBe(false);
	});

	it('takes INSEE codes, Corsican ones included, and a known category', () => {
		expect(quoteRequestSchema.safeParse({ from: '2A004', to: '75056', category: 'suv' }).success).toBe(true);
		expect(quoteRequestSchema.safeParse({ from: 'Paris', to: '75056', category: 'suv' }).success).toBe(false);
		expect(quoteRequestSchema.safeParse({ from: '69123', to: '75056', category: 'tank' }).success).toBe(false);
	});
});
