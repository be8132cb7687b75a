import { describe, expect, it } from 'vitest';
import { priceFor, type PriceListEntry } from './pricing';

const site = 'site-lyon';
const wash = 'svc-wash';
const acme = 'client-acme';

function price(overrides: Partial<PriceListEntry> & Pick<PriceListEntry, 'id'>): PriceListEntry {
	return {
		siteId: site,
		serviceId: wash,
		clientAccountId: null,
		unitPriceCents: 2500,
		validFrom: '2026-01-01',
		validTo: null,
		...overrides
	};
}

const query = { serviceId: wash, siteId: site, clientAccountId: acme, on: '2026-06-15' };

describe('priceFor', () => {
	it('returns the general price when the client has none of its own', () => {
		expect(priceFor({ ...query, prices: [price({ id: 'general' })] })).toEqual({ unitPriceCents: 2500, priceId: 'general' });
	});

	it('returns null when nothing applies', () => {
		expect(priceFor({ ...query, prices: [] })).toBeNull();
	});

	it("prefers the client's own price to the general one", () => {
		const prices = [price({ id: 'general' }), price({ id: 'acme', clientAccountId: acme, unitPriceCents: 1900 })];
		expect(priceFor({ ...query, prices })).toEqual({ unitPriceCents: 1900, priceId: 'acme' });
	});

	it("keeps the client's price even when a general price started later", () => {
		const prices = [
			price({ id: 'acme', clientAccountId: acme, unitPriceCents: 1900, validFrom: '2026-01-01' }),
			price({ id: 'general-2026-06', unitPriceCents: 2800, validFrom: '2026-06-01' })
		];
		expect(priceFor({ ...query, prices })?.priceId).toBe('acme');
	});

	it("falls back to the general price once the client's price has ended", () => {
		const prices = [price({ id: 'general' }), price({ id: 'acme', clientAccountId: acme, validTo: '2026-05-31' })];
		expect(priceFor({ ...query, prices })?.priceId).toBe('general');
	});

	it("ignores another client's negotiated price", () => {
		const prices = [price({ id: 'general' }), price({ id: 'globex', clientAccountId: 'client-globex', unitPriceCents: 100 })];
		expect(priceFor({ ...query, prices })?.priceId).toBe('general');
	});

	it('applies only the general price when no client is given', () => {
		const prices = [price({ id: 'acme', clientAccountId: acme }), price({ id: 'general', unitPriceCents: 3000 })];
		expect(priceFor({ ...query, clientAccountId: null, prices })).toEqual({ unitPriceCents: 3000, priceId: 'general' });
		expect(priceFor({ ...query, clientAccountId: null, prices: [price({ id: 'acme', clientAccountId: acme })] })).toBeNull();
	});

	it('picks the candidate that started last among several valid ones', () => {
		const prices = [
			price({ id: '2026-03', validFrom: '2026-03-01' }),
			price({ id: '2026-05', validFrom: '2026-05-01' }),
			price({ id: '2026-01', validFrom: '2026-01-01' })
		];
		expect(priceFor({ ...query, prices })?.priceId).toBe('2026-05');
	});

	it('picks the latest start among client prices too', () => {
		const prices = [
			price({ id: 'acme-new', clientAccountId: acme, validFrom: '2026-04-01' }),
			price({ id: 'acme-old', clientAccountId: acme, validFrom: '2025-01-01' })
		];
		expect(priceFor({ ...query, prices })?.priceId).toBe('acme-new');
	});

	it('counts the first and the last day of validity', () => {
		const prices = [price({ id: 'june', validFrom: '2026-06-01', validTo: '2026-06-30' })];
		expect(priceFor({ ...query, on: '2026-06-01', prices })?.priceId).toBe('june');
		expect(priceFor({ ...query, on: '2026-06-30', prices })?.priceId).toBe('june');
		expect(priceFor({ ...query, on: '2026-05-31', prices })).toBeNull();
		expect(priceFor({ ...query, on: '2026-07-01', prices })).toBeNull();
	});

	it('ignores a price that starts in the future', () => {
		const prices = [price({ id: 'current' }), price({ id: 'next', validFrom: '2026-07-01' })];
		expect(priceFor({ ...query, prices })?.priceId).toBe('current');
	});

	it('ignores prices of other services and other sites', () => {
		const prices = [price({ id: 'other-service', serviceId: 'svc-polish' }), price({ id: 'other-site', siteId: 'site-paris' })];
		expect(priceFor({ ...query, prices })).toBeNull();
	});

	it('answers the same whatever the order of rows starting the same day', () => {
		const a = price({ id: 'a', unitPriceCents: 1000 });
		const b = price({ id: 'b', unitPriceCents: 2000 });
		expect(priceFor({ ...query, prices: [a, b] })).toEqual(priceFor({ ...query, prices: [b, a] }));
	});

	it('returns a free service as a price of zero, not as no price', () => {
		expect(priceFor({ ...query, prices: [price({ id: 'free', unitPriceCents: 0 })] })).toEqual({ unitPriceCents: 0, priceId: 'free' });
	});
});
