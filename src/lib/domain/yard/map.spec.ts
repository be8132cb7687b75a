import { describe, expect, it } from 'vitest';
import { bounds, centroid, findVehicle, occupancy, type Layout, type Polygon } from './map';

const square = (x: number, y: number, size = 1): Polygon => ({
	type: 'Polygon',
	coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]
});

const layout: Layout = {
	type: 'FeatureCollection',
	features: [
		{ type: 'Feature', properties: { layer: 'zone', id: 'z1', code: 'REC', name: 'Réception', kind: 'reception' }, geometry: square(0, 0, 4) },
		{ type: 'Feature', properties: { layer: 'zone', id: 'z2', code: 'PAR', name: 'Parc', kind: 'parking' }, geometry: square(10, 0, 4) },
		{ type: 'Feature', properties: { layer: 'bay', id: 'b1', number: 'A01', zoneId: 'z1' }, geometry: square(0, 0) },
		{ type: 'Feature', properties: { layer: 'bay', id: 'b2', number: 'A02', zoneId: 'z1' }, geometry: square(1, 0) },
		{ type: 'Feature', properties: { layer: 'bay', id: 'b3', number: 'E01', zoneId: 'z2' }, geometry: square(10, 0) }
	]
};

describe('occupancy', () => {
	it('counts bays, occupied and free per zone, an empty zone included', () => {
		expect(occupancy(layout, [{ bayId: 'b2' }])).toEqual([
			{ id: 'z1', code: 'REC', name: 'Réception', kind: 'reception', bays: 2, occupied: 1, free: 1 },
			{ id: 'z2', code: 'PAR', name: 'Parc', kind: 'parking', bays: 1, occupied: 0, free: 1 }
		]);
	});
});

describe('geometry', () => {
	it('puts a bay label at the centre of its ring, the closing point not counted twice', () => {
		expect(centroid(square(2, 4, 2))).toEqual([3, 5]);
	});
	it('frames every zone and bay', () => {
		expect(bounds(layout)).toEqual([0, 0, 14, 4]);
		expect(bounds({ type: 'FeatureCollection', features: [] })).toBeNull();
	});
});

describe('findVehicle', () => {
	const vehicles = [
		{ plate: 'GH-123-AB', vin: 'VF1RJA00000000001' },
		{ plate: 'AB-123-CD', vin: 'VF1RJA00000000002' },
		{ plate: null, vin: 'KNAC3819T00000999' }
	];
	it('finds a plate typed without dashes or in lower case, exact match first', () => {
		expect(findVehicle(vehicles, 'ab 123 cd')?.vin).toBe('VF1RJA00000000002');
		expect(findVehicle(vehicles, '123')?.plate).toBe('GH-123-AB');
	});
	it('finds an unregistered vehicle by the end of its VIN, and nothing for one letter', () => {
		expect(findVehicle(vehicles, '00999')?.vin).toBe('KNAC3819T00000999');
		expect(findVehicle(vehicles, 'a')).toBeUndefined();
		expect(findVehicle(vehicles, 'ZZ-999-ZZ')).toBeUndefined();
	});
});
