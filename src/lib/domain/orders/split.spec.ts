import { describe, expect, it } from 'vitest';
import type { PriceListEntry } from './pricing';
import { splitOrder, type CatalogueService, type OrderToSplit } from './split';

const site = 'site-lyon';
const acme = 'client-acme';

const services: CatalogueService[] = [
	{ id: 'wash', siteId: site, defaultMinutes: 30, active: true },
	{ id: 'polish', siteId: site, defaultMinutes: 90, active: true },
	{ id: 'retired', siteId: site, defaultMinutes: 20, active: false },
	{ id: 'paris-wash', siteId: 'site-paris', defaultMinutes: 30, active: true },
	{ id: 'unpriced', siteId: site, defaultMinutes: 45, active: true }
];

function price(id: string, serviceId: string, unitPriceCents: number, extra: Partial<PriceListEntry> = {}): PriceListEntry {
	return { id, siteId: site, serviceId, clientAccountId: null, unitPriceCents, validFrom: '2026-01-01', validTo: null, ...extra };
}

const prices: PriceListEntry[] = [
	price('p-wash', 'wash', 2500),
	price('p-polish', 'polish', 12000),
	price('p-retired', 'retired', 1000),
	price('p-paris-wash', 'paris-wash', 2000, { siteId: 'site-paris' })
];

function order(vehicles: OrderToSplit['vehicles'], extra: Partial<OrderToSplit> = {}): OrderToSplit {
	return { siteId: site, clientAccountId: acme, orderedOn: '2026-06-15', vehicles, services, prices, ...extra };
}

describe('splitOrder', () => {
	it('makes one task per vehicle and service, timed and priced, with totals', () => {
		const result = splitOrder(
			order([
				{ ref: 'AB-123-CD', services: ['wash', 'polish'] },
				{ ref: 'EF-456-GH', services: ['wash'] }
			])
		);
		expect(result).toEqual({
			ok: true,
			tasks: [
				{ vehicleRef: 'AB-123-CD', serviceId: 'wash', estimatedMinutes: 30, priceCents: 2500 },
				{ vehicleRef: 'AB-123-CD', serviceId: 'polish', estimatedMinutes: 90, priceCents: 12000 },
				{ vehicleRef: 'EF-456-GH', serviceId: 'wash', estimatedMinutes: 30, priceCents: 2500 }
			],
			totalCents: 17000,
			totalMinutes: 150
		});
	});

	it('collapses a service asked twice for one vehicle into one task', () => {
		const result = splitOrder(order([{ ref: 'AB-123-CD', services: ['wash', 'polish', 'wash'] }]));
		expect(result.ok && result.tasks.map((t) => t.serviceId)).toEqual(['wash', 'polish']);
		expect(result.ok && result.totalCents).toBe(14500);
	});

	it("prices with the client's own price on the day ordered", () => {
		const withOverride = [...prices, price('p-acme-wash', 'wash', 1900, { clientAccountId: acme, validFrom: '2026-06-01' })];
		const vehicles = [{ ref: 'AB-123-CD', services: ['wash'] }];
		const inJune = splitOrder(order(vehicles, { prices: withOverride }));
		const inMay = splitOrder(order(vehicles, { prices: withOverride, orderedOn: '2026-05-31' }));
		expect(inJune.ok && inJune.tasks[0].priceCents).toBe(1900);
		expect(inMay.ok && inMay.tasks[0].priceCents).toBe(2500);
	});

	it('refuses an order with no vehicles', () => {
		expect(splitOrder(order([]))).toEqual({ ok: false, errors: [{ row: null, field: 'vehicles', code: 'no_vehicles' }] });
	});

	it('refuses a vehicle with no service', () => {
		expect(splitOrder(order([{ ref: 'AB-123-CD', services: [] }]))).toEqual({
			ok: false,
			errors: [{ row: 0, field: 'services', code: 'no_service' }]
		});
	});

	it.each([
		['an unknown service', 'nope', 'unknown_service'],
		['an inactive service', 'retired', 'inactive_service'],
		["another site's service", 'paris-wash', 'service_of_other_site'],
		['a service with no price that day', 'unpriced', 'no_price']
	] as const)('refuses %s, naming the row and the service', (_case, serviceId, code) => {
		const result = splitOrder(
			order([
				{ ref: 'AB-123-CD', services: ['wash'] },
				{ ref: 'EF-456-GH', services: ['wash', serviceId] }
			])
		);
		expect(result).toEqual({ ok: false, errors: [{ row: 1, field: 'services', code, serviceId }] });
	});

	it('refuses a service whose price has not started yet on the day ordered', () => {
		const result = splitOrder(order([{ ref: 'AB-123-CD', services: ['wash'] }], { orderedOn: '2025-12-31' }));
		expect(result).toEqual({ ok: false, errors: [{ row: 0, field: 'services', code: 'no_price', serviceId: 'wash' }] });
	});

	it('reports a service asked twice and at fault only once', () => {
		const result = splitOrder(order([{ ref: 'AB-123-CD', services: ['nope', 'nope'] }]));
		expect(result.ok === false && result.errors).toHaveLength(1);
	});

	it('refuses the same vehicle listed twice, on the later row', () => {
		const result = splitOrder(
			order([
				{ ref: 'AB-123-CD', services: ['wash'] },
				{ ref: 'AB-123-CD', services: ['polish'] }
			])
		);
		expect(result).toEqual({ ok: false, errors: [{ row: 1, field: 'ref', code: 'duplicate_vehicle' }] });
	});

	it('reports every problem of every row at once and makes no task at all', () => {
		const result = splitOrder(
			order([
				{ ref: 'AB-123-CD', services: ['wash'] },
				{ ref: 'EF-456-GH', services: [] },
				{ ref: 'JK-789-LM', services: ['nope', 'polish', 'retired'] }
			])
		);
		expect(result).toEqual({
			ok: false,
			errors: [
				{ row: 1, field: 'services', code: 'no_service' },
				{ row: 2, field: 'services', code: 'unknown_service', serviceId: 'nope' },
				{ row: 2, field: 'services', code: 'inactive_service', serviceId: 'retired' }
			]
		});
		expect(result).not.toHaveProperty('tasks');
	});

	it('checks the site before the active flag, so an inactive service elsewhere reads as another site', () => {
		const elsewhere: CatalogueService[] = [...services, { id: 'paris-retired', siteId: 'site-paris', defaultMinutes: 10, active: false }];
		const result = splitOrder(order([{ ref: 'AB-123-CD', services: ['paris-retired'] }], { services: elsewhere }));
		expect(result.ok === false && result.errors[0].code).toBe('service_of_other_site');
	});

	it('keeps a free service as a task priced zero', () => {
		const result = splitOrder(order([{ ref: 'AB-123-CD', services: ['unpriced'] }], { prices: [price('p-free', 'unpriced', 0)] }));
		expect(result).toEqual({
			ok: true,
			tasks: [{ vehicleRef: 'AB-123-CD', serviceId: 'unpriced', estimatedMinutes: 45, priceCents: 0 }],
			totalCents: 0,
			totalMinutes: 45
		});
	});
});
