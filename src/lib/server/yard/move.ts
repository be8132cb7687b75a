import type pg from 'pg';
import { moveSchema } from '$lib/domain/yard/gate';
import { withUser, type JwtClaims } from '$lib/server/db/pool';
import { validate } from '$lib/validation';
import { asYardError, YardError, type Locale } from './errors';

/**
 * Moves a vehicle on site to another free bay of its site (public.move_vehicle, one transaction
 * as the user: a movement `bay_move`, audited by trigger). Throws a YardError: `bay_taken` (409),
 * `not_found` (404: the vehicle or bay does not exist for this person), `forbidden` (403: they
 * see it but may not move it), `conflict` (409: not on site), `invalid` (400).
 */
export async function moveVehicle(
	pool: pg.Pool,
	claims: JwtClaims,
	input: { vehicleId: string; bayId: string; idempotencyKey?: string },
	locale: Locale = 'fr'
): Promise<{ movementId: string }> {
	const parsed = validate(moveSchema, input, locale);
	if (!parsed.ok) throw new YardError(400, 'invalid', parsed.errors);
	const v = parsed.data;
	try {
		return await withUser(pool, claims, async (sql) => {
			const { rows } = await sql.query<{ result: { movementId: string } }>(`select public.move_vehicle($1, $2, $3) as result`, [
				v.vehicleId,
				v.bayId,
				v.idempotencyKey ?? null
			]);
			return { movementId: rows[0].result.movementId };
		});
	} catch (err) {
		throw asYardError(err, locale);
	}
}
