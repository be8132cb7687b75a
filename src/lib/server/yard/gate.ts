import type pg from 'pg';
import { gateInSchema, gateOutSchema } from '$lib/domain/yard/gate';
import { withUser, type JwtClaims } from '$lib/server/db/pool';
import { storage, type Storage } from '$lib/server/storage';
import { validate } from '$lib/validation';
import { asYardError, YardError, type Locale } from './errors';
import { namePhotos, storePhotos, type PhotoRecord } from './photos';

/**
 * Gate in and gate out from the phone: each is one call of its database function (migration
 * 20261203001000) in one transaction as the person, so row-level security decides where they
 * may act, and either everything is written (movement, inspection, bay, vehicle, audit) or
 * nothing. The photos' bytes are stored before the commit; a replay of the same idempotency key
 * answers the first result and stores nothing again.
 */

export interface GateResult {
	movementId: string;
	inspectionId: string;
	vehicleId: string;
	bayId: string | null;
	photos: PhotoRecord[];
	/** This idempotency key had already been recorded: nothing new was written. */
	replayed: boolean;
}

function parse<S extends Parameters<typeof validate>[0]>(schema: S, input: unknown, locale: Locale) {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new YardError(400, 'invalid', result.errors);
	return result.data;
}

async function run(pool: pg.Pool, claims: JwtClaims, locale: Locale, fn: (sql: pg.PoolClient) => Promise<GateResult>): Promise<GateResult> {
	try {
		return await withUser(pool, claims, fn);
	} catch (err) {
		throw asYardError(err, locale);
	}
}

/** Records a vehicle's arrival: found by VIN or plate, or registered; parked in the chosen (else suggested) bay. */
export async function recordGateIn(pool: pg.Pool, claims: JwtClaims, input: unknown, locale: Locale, store: Storage = storage()): Promise<GateResult> {
	const v = parse(gateInSchema, input, locale);
	const named = namePhotos(v.photos, locale);
	return run(pool, claims, locale, async (sql) => {
		const { rows } = await sql.query<{ result: GateResult }>(
			`select public.gate_in($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) as result`,
			[
				v.siteId,
				v.vin ?? null,
				v.plate ?? null,
				{ make: v.make, model: v.model, energy: v.energy, clientAccountId: v.clientAccountId },
				v.bayId ?? null,
				v.mileageKm ?? null,
				v.energyPercent ?? null,
				JSON.stringify(v.damages),
				JSON.stringify(named),
				v.comments || null,
				v.idempotencyKey
			]
		);
		const result = rows[0].result;
		if (!result.replayed) await storePhotos(store, v.photos, result.photos);
		return result;
	});
}

/** Records a delivery: the vehicle leaves its bay (released), delivered for the order. */
export async function recordGateOut(pool: pg.Pool, claims: JwtClaims, input: unknown, locale: Locale, store: Storage = storage()): Promise<GateResult> {
	const v = parse(gateOutSchema, input, locale);
	const named = namePhotos(v.photos, locale);
	return run(pool, claims, locale, async (sql) => {
		const { rows } = await sql.query<{ result: GateResult }>(`select public.gate_out($1, $2, $3, $4, $5, $6, $7, $8) as result`, [
			v.vehicleId,
			v.orderId ?? null,
			v.mileageKm ?? null,
			v.energyPercent ?? null,
			JSON.stringify(v.damages),
			JSON.stringify(named),
			v.comments || null,
			v.idempotencyKey
		]);
		const result = rows[0].result;
		if (!result.replayed) await storePhotos(store, v.photos, result.photos);
		return result;
	});
}
