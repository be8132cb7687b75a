/**
 * Which services each vehicle of an order gets. An order form starts from a default set applied
 * to every vehicle; a vehicle's own choice (ticked in the vehicles × services grid, or written in
 * the CSV file's services column) replaces the defaults for that vehicle only.
 */
import type { VehicleRef } from './vehicle-input';

/** How a vehicle is named across the form, the CSV file and the server: `vin:…` or `plate:…`. */
export function vehicleKey(ref: VehicleRef): string {
	return `${ref.kind}:${ref.value}`;
}

export interface ServiceCode {
	id: string;
	code: string;
}

export type VehicleServices =
	| { ok: true; serviceIds: string[]; source: 'vehicle' | 'file' | 'defaults' }
	| { ok: false; unknownCode: string };

/**
 * The vehicle's own choice first, then the codes of its CSV row (matched to the site's
 * catalogue, case-insensitively), then the order's defaults.
 */
export function servicesForVehicle(input: {
	key: string;
	chosen: Readonly<Record<string, readonly string[]>> | undefined;
	fileCodes: readonly string[] | null;
	defaults: readonly string[];
	catalogue: readonly ServiceCode[];
}): VehicleServices {
	const own = input.chosen?.[input.key];
	if (own) return { ok: true, serviceIds: [...new Set(own)], source: 'vehicle' };
	if (input.fileCodes && input.fileCodes.length > 0) {
		const ids: string[] = [];
		for (const code of input.fileCodes) {
			const service = input.catalogue.find((s) => s.code.toUpperCase() === code.toUpperCase());
			if (!service) return { ok: false, unknownCode: code };
			ids.push(service.id);
		}
		return { ok: true, serviceIds: [...new Set(ids)], source: 'file' };
	}
	return { ok: true, serviceIds: [...new Set(input.defaults)], source: 'defaults' };
}
