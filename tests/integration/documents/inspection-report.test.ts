import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { inspectionReport } from '../../../src/lib/server/documents/inspection-report';
import { pdfText } from '../../../src/lib/server/documents/pdf-text';
import { samplePng } from '../../../src/lib/server/documents/render/samples';
import type { Storage } from '../../../src/lib/server/storage';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * Inspection reports as their readers get them: an état des lieux for a gate-in and a
 * procès-verbal de livraison for a gate-out, with the site's legal details, the vehicle, each
 * damage named by part and severity, and the photo; the site's staff and the vehicle's client
 * get it, another site's operator and another client get nothing.
 */

let world: World;
const files = new Map<string, Uint8Array>();
const store: Storage = {
	put: async (key, bytes) => void files.set(key, bytes),
	get: async (key) => files.get(key) ?? null,
	delete: async (key) => void files.delete(key)
};

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
});

/** A vehicle of Acme at the hub, a movement of `kind`, and its inspection with one damage and one photo. */
async function inspected(kind: 'gate_in' | 'gate_out') {
	const vehicle = randomUUID();
	const vin = testVin();
	await world.pool.query(
		`insert into public.vehicles (id, organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
		 values ($1, $2, $3, $4, $5, 'GH-123-JK', 'Peugeot', 'e-208', 'electric')`,
		[vehicle, world.orgId, world.sites.hub, world.clients.acme, vin]
	);
	const movement = (
		await world.pool.query(
			`insert into public.movements (site_id, client_account_id, vehicle_id, kind) values ($1, $2, $3, $4) returning id`,
			[world.sites.hub, world.clients.acme, vehicle, kind]
		)
	).rows[0].id as string;
	const key = `yard/${world.sites.hub}/${vehicle}/${randomUUID()}.png`;
	const photo = samplePng(320, 240, [37, 99, 235], [147, 197, 253]);
	files.set(key, photo);
	const id = (
		await world.pool.query(
			`insert into public.inspections (site_id, client_account_id, vehicle_id, movement_id, mileage_km, energy_level_percent, damages, photos, comments)
			 values ($1, $2, $3, $4, 12345, 80, $5, $6, 'Clés remises au chef d’équipe') returning id`,
			[
				world.sites.hub,
				world.clients.acme,
				vehicle,
				movement,
				JSON.stringify([{ x: 0.15, y: 0.2, zone: 'front_left', kind: 'scratch', severity: 2, note: 'portière' }]),
				JSON.stringify([{ key, type: 'image/png', size: photo.byteLength }])
			]
		)
	).rows[0].id as string;
	return { id, vin };
}

const reportAs = (persona: Persona, id: string, locale: 'fr' | 'en' = 'fr') =>
	withUser(world.pool, world.people[persona].claims, (sql) => inspectionReport(sql, store, id, locale));

describe('inspection reports', () => {
	it('a gate-in gives an état des lieux with the site, the vehicle, the damage by part, the photo and the comments', async () => {
		const { id, vin } = await inspected('gate_in');
		const report = await reportAs('operator', id);
		expect(report?.fileName).toBe(`EDL-${id.slice(0, 8).toUpperCase()}.pdf`);
		const text = await pdfText(report!.pdf);
		expect(text).toContain('État des lieux du véhicule');
		expect(text).toContain('HUB-A SAS');
		expect(text).toContain('12345678900011');
		expect(text).toContain('GH-123-JK');
		expect(text).toContain(vin);
		expect(text).toContain('Aile avant gauche');
		expect(text).toContain('Rayure (visible) — portière');
		expect(text).toContain('Clés remises au chef d’équipe');
		const withoutPhoto = await withUser(world.pool, world.people.operator.claims, async (sql) => {
			const { rows } = await sql.query(`select photos from public.inspections where id = $1`, [id]);
			files.delete(rows[0].photos[0].key);
			return inspectionReport(sql, store, id, 'fr');
		});
		expect(report!.pdf.byteLength).toBeGreaterThan(withoutPhoto!.pdf.byteLength);
	});

	it('a gate-out gives a delivery report, in English for an English reader', async () => {
		const { id } = await inspected('gate_out');
		expect(await pdfText((await reportAs('operator', id))!.pdf)).toContain('Procès-verbal de livraison');
		const english = await pdfText((await reportAs('site_manager', id, 'en'))!.pdf);
		expect(english).toContain('Front left wing');
		expect(english).toContain('Scratch (visible)');
	});

	it('the vehicle’s client gets it; another client and another site’s operator get nothing', async () => {
		const { id } = await inspected('gate_in');
		expect(await reportAs('client', id)).not.toBeNull();
		expect(await reportAs('client_other_account', id)).toBeNull();
		expect(await reportAs('operator_other_site', id)).toBeNull();
		expect(await reportAs('admin_other_org', id)).toBeNull();
	});
});
