import { randomUUID } from 'node:crypto';
import type { JwtClaims } from '../../../src/lib/server/db/pool';
import { square } from '../rls/fixture';
import { testVin, type World } from '../world';

/** Rows written straight as the superuser into a world, for the transfer suites. */
export function transferRows(world: () => World) {
	const q = (text: string, values: unknown[] = []) => world().pool.query(text, values);

	/** A new person of the organisation with one role (site null: organisation-wide). */
	async function person(role: string, site: string | null, name: string): Promise<{ id: string; claims: JwtClaims }> {
		const id = randomUUID();
		const email = `${name.toLowerCase().replace(/\W/g, '.')}.${id.slice(0, 8)}@test.relais`;
		await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
		await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, world().orgId, name, email]);
		await q('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [world().orgId, id, site, role]);
		return { id, claims: { sub: id, role: 'authenticated', email } };
	}

	/** Dealer stock at `site`, parked in a bay of its own. */
	async function parkedVehicle(site: string): Promise<{ vehicle: string; bay: string }> {
		const zone = await q(`insert into public.yard_zones (site_id, code, name, kind, geometry) values ($1, $2, 'Parc', 'parking', $3) returning id`, [
			site,
			`Z${randomUUID().slice(0, 6)}`,
			square
		]);
		const bay = await q(`insert into public.bays (site_id, zone_id, number, geometry) values ($1, $2, $3, $4) returning id`, [
			site,
			zone.rows[0].id,
			`B${randomUUID().slice(0, 6)}`,
			square
		]);
		const vehicle = await q(
			`insert into public.vehicles (organisation_id, site_id, bay_id, vin, make, model, energy, status)
			 values ($1, $2, $3, $4, 'Peugeot', '308', 'diesel', 'in_stock') returning id`,
			[world().orgId, site, bay.rows[0].id, testVin()]
		);
		return { vehicle: vehicle.rows[0].id, bay: bay.rows[0].id };
	}

	/** A driver record for `profile`, with documents [kind, expires_on] (null: no expiry). */
	async function driverRecord(profile: string | null, name: string, documents: Array<[string, string | null]>): Promise<string> {
		const { rows } = await q(
			`insert into public.drivers (organisation_id, profile_id, kind, full_name, partner_company)
			 values ($1, $2, $3, $4, $5) returning id`,
			[world().orgId, profile, profile ? 'internal' : 'partner', name, profile ? null : 'Convoi Express']
		);
		for (const [kind, expiresOn] of documents) {
			await q(`insert into public.driver_documents (organisation_id, driver_id, kind, expires_on, storage_key) values ($1, $2, $3, $4, $5)`, [
				world().orgId,
				rows[0].id,
				kind,
				expiresOn,
				`drivers/${rows[0].id}/${kind}.pdf`
			]);
		}
		return rows[0].id;
	}

	return { q, person, parkedVehicle, driverRecord };
}

export const valid: Array<[string, string | null]> = [
	['licence', '2040-01-01'],
	['id_card', '2035-06-30'],
	['insurance', '2030-12-31']
];
