import { randomUUID } from 'node:crypto';
import type { Storage } from '../../../src/lib/server/storage';
import { square } from '../rls/fixture';
import { testVin, type World } from '../world';

/** A 1×1 PNG: the smallest photo a phone could send. */
export const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
export const photo = { type: 'image/png' as const, size: png.byteLength, bytes: png };

/** Storage in memory; `failOn` makes every put fail (a storage outage mid-transaction). */
export function memoryStorage(): Storage & { files: Map<string, Uint8Array>; failOn: boolean } {
	const files = new Map<string, Uint8Array>();
	return {
		files,
		failOn: false,
		async put(key, bytes) {
			if (this.failOn) throw new Error('storage unavailable');
			files.set(key, bytes);
		},
		async get(key) {
			return files.get(key) ?? null;
		},
		async delete(key) {
			files.delete(key);
		}
	};
}

/** Rows written as the superuser into a world: a yard per site, vehicles, orders with tasks. */
export function yardRows(world: () => World) {
	const q = (text: string, values: unknown[] = []) => world().pool.query(text, values);
	const one = async (text: string, values: unknown[] = []) => (await q(text, values)).rows[0].id as string;

	/**
	 * A yard: reception R1 (rank 2), R2 (rank 5); wash W1 (rank 9), W2 (rank 3); workshop K1 (rank 1).
	 * Bay numbers are unique per site, so each yard gets its own prefix.
	 */
	async function yard(site: string) {
		const tag = randomUUID().slice(0, 4);
		const zone = (kind: string) =>
			one(`insert into public.yard_zones (site_id, code, name, kind, geometry) values ($1, $2, $3::text, $3::text::public.zone_kind, $4) returning id`, [site, `${kind}-${tag}`, kind, square]);
		const bay = (zoneId: string, number: string, rank: number) =>
			one(`insert into public.bays (site_id, zone_id, number, geometry, rank) values ($1, $2, $3, $4, $5) returning id`, [site, zoneId, `${tag}-${number}`, square, rank]);
		const reception = await zone('reception');
		const wash = await zone('wash');
		const workshop = await zone('workshop');
		return {
			R1: await bay(reception, 'R1', 2),
			R2: await bay(reception, 'R2', 5),
			W1: await bay(wash, 'W1', 9),
			W2: await bay(wash, 'W2', 3),
			K1: await bay(workshop, 'K1', 1)
		};
	}

	/** A vehicle of `account` registered at `site` (expected, or parked in `bay` when given). */
	async function vehicle(site: string, account: string | null, bay: string | null = null) {
		const vin = testVin();
		const id = await one(
			`insert into public.vehicles (organisation_id, site_id, bay_id, client_account_id, vin, make, model, energy, status)
			 values ($1, $2, $3, $4, $5, 'Renault', 'Clio', 'petrol', $6) returning id`,
			[world().orgId, site, bay, account, vin, bay ? 'on_site' : 'expected']
		);
		return { id, vin };
	}

	/** An order of `account` at `site` with one task per service kind given, in that order of plan. */
	async function order(site: string, account: string, vehicleId: string, kinds: string[]) {
		const orderId = await one(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, $3, current_date + 7) returning id`, [
			site,
			account,
			`O-${randomUUID().slice(0, 8)}`
		]);
		for (const [i, kind] of kinds.entries()) {
			const service = await one(
				`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, $3, $3, $4::public.zone_kind, 30) returning id`,
				[site, `S${randomUUID().slice(0, 8).toUpperCase().replace(/-/g, '')}`, kind, kind]
			);
			await q(
				`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, planned_on, estimated_minutes, price_cents, status)
				 values ($1, $2, $3, $4, $5, current_date + $6::int, 30, 2000, 'planned')`,
				[site, account, orderId, vehicleId, service, i]
			);
		}
		return orderId;
	}

	return { q, yard, vehicle, order };
}
