import { describe, expect, it } from 'vitest';
import type { PriceListEntry } from './pricing';
import { splitOrder } from './split';
import { servicesForVehicle, vehicleKey } from './vehicle-services';

const catalogue = [
	{ id: 'wash', code: 'WASH_EXT' },
	{ id: 'pdi', code: 'PDI' },
	{ id: 'tyres', code: 'TYRES' }
];
const defaults = ['wash'];

describe('servicesForVehicle', () => {
	it("takes the vehicle's own choice over its file codes and the defaults", () => {
		const chosen = { 'plate:AB-123-CD': ['pdi', 'tyres', 'pdi'] };
		expect(servicesForVehicle({ key: 'plate:AB-123-CD', chosen, fileCodes: ['WASH_EXT'], defaults, catalogue })).toEqual({
			ok: true,
			serviceIds: ['pdi', 'tyres'],
			source: 'vehicle'
		});
	});

	it('an explicit empty choice means no service, not the defaults', () => {
		expect(servicesForVehicle({ key: 'plate:AB-123-CD', chosen: { 'plate:AB-123-CD': [] }, fileCodes: null, defaults, catalogue })).toEqual({
			ok: true,
			serviceIds: [],
			source: 'vehicle'
		});
	});

	it('maps file codes case-insensitively, else falls back to the defaults', () => {
		expect(servicesForVehicle({ key: 'vin:X', chosen: {}, fileCodes: ['pdi', 'Tyres'], defaults, catalogue })).toEqual({
			ok: true,
			serviceIds: ['pdi', 'tyres'],
			source: 'file'
		});
		expect(servicesForVehicle({ key: 'vin:X', chosen: undefined, fileCodes: null, defaults, catalogue })).toEqual({
			ok: true,
			serviceIds: ['wash'],
			source: 'defaults'
		});
	});

	it('names a code the site does not offer', () => {
		expect(servicesForVehicle({ key: 'vin:X', chosen: {}, fileCodes: ['PDI', 'POLISH'], defaults, catalogue })).toEqual({
			ok: false,
			unknownCode: 'POLISH'
		});
	});

	it('keys vehicles the same way whether pasted or from a file', () => {
		expect(vehicleKey({ kind: 'plate', value: 'AB-123-CD' })).toBe('plate:AB-123-CD');
		expect(vehicleKey({ kind: 'vin', value: 'VF1RJA00012345678' })).toBe('vin:VF1RJA00012345678');
	});
});

describe('an order with services per vehicle', () => {
	it('splits into exactly the ticked cells, each priced for the client', () => {
		const price = (id: string, serviceId: string, cents: number, clientAccountId: string | null = null): PriceListEntry => ({
			id,
			siteId: 's',
			serviceId,
			clientAccountId,
			unitPriceCents: cents,
			validFrom: '2026-01-01',
			validTo: null
		});
		const chosen = { 'plate:EF-456-GH': ['pdi', 'tyres'] };
		const vehicles = ['plate:AB-123-CD', 'plate:EF-456-GH'].map((key) => {
			const services = servicesForVehicle({ key, chosen, fileCodes: null, defaults, catalogue });
			return { ref: key, services: services.ok ? services.serviceIds : [] };
		});
		const result = splitOrder({
			siteId: 's',
			clientAccountId: 'acme',
			orderedOn: '2026-06-01',
			vehicles,
			services: catalogue.map((c) => ({ id: c.id, siteId: 's', defaultMinutes: 30, active: true })),
			prices: [price('1', 'wash', 1500), price('2', 'pdi', 7500), price('3', 'tyres', 4900), price('4', 'pdi', 6500, 'acme')]
		});
		expect(result.ok && result.tasks.map((t) => [t.vehicleRef, t.serviceId, t.priceCents])).toEqual([
			['plate:AB-123-CD', 'wash', 1500],
			['plate:EF-456-GH', 'pdi', 6500],
			['plate:EF-456-GH', 'tyres', 4900]
		]);
		expect(result.ok && result.totalCents).toBe(12900);
	});
});
