import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import { pdfText } from '../../../src/lib/server/documents/pdf-text';
import { diskStorage } from '../../../src/lib/server/storage';
import { transferNotePdf } from '../../../src/lib/server/transfers/delivery-pdf';
import { TransferError } from '../../../src/lib/server/transfers/errors';
import { trackedTransfers } from '../../../src/lib/server/transfers/tracker';
import { advanceTransfer, approveTransfer, assignDriver, receiveTransfer, requestTransfer } from '../../../src/lib/server/transfers/service';
import { GET as download } from '../../../src/routes/(app)/transfers/[id]/delivery-note/+server';
import { createWorld, type Persona, type World } from '../world';
import { transferRows, valid } from './helpers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A transfer's delivery note: printed once delivered with the sending site's legal details, the
 * vehicle and every step; downloadable by staff who may read the transfer, a 404 for others.
 */
let world: World;
let hub2Manager: { id: string; claims: JwtClaims };
let transferId: string;
const PLATE = 'GH-512-KT';
const rows = transferRows(() => world);
const store = diskStorage(mkdtempSync(join(tmpdir(), 'relais-transfer-note-')));
const claimsOf = (who: Persona | { claims: JwtClaims }) => (typeof who === 'string' ? world.people[who].claims : who.claims);
const as = <T>(who: Persona | { claims: JwtClaims }, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, claimsOf(who), fn);

async function note(who: Persona, locale: 'fr' | 'en' = 'fr'): Promise<string> {
	const { bytes, fileName } = await as(who, (sql) => transferNotePdf(sql, store, transferId, locale));
	expect(fileName).toBe(`TR-${transferId.slice(0, 8).toUpperCase()}.pdf`);
	return pdfText(bytes);
}

/** What the download route answers `persona`, as the browser would get it. */
async function downloadStatus(persona: Persona): Promise<number> {
	const person = world.people[persona];
	const primaryRole = persona === 'admin_other_org' ? 'admin' : persona === 'client' ? 'client' : persona.replace('_other_site', '');
	const locals = { user: { id: person.id, primaryRole }, db: <T>(fn: (sql: Sql) => Promise<T>) => as(persona, fn) };
	try {
		const response = await download({ locals, params: { id: transferId } } as unknown as Parameters<typeof download>[0]);
		if (response.status === 200) {
			expect(response.headers.get('content-type')).toBe('application/pdf');
			expect(await pdfText(new Uint8Array(await response.arrayBuffer()))).toContain(PLATE);
		}
		return response.status;
	} catch (err) {
		return (err as { status: number }).status;
	}
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	hub2Manager = await rows.person('site_manager', world.sites.hub2, 'Claire Martin');
	await rows.driverRecord(world.people.driver.id, 'Karim Benali', valid);
	await rows.q(`update public.profiles set full_name = 'Karim Benali' where id = $1`, [world.people.driver.id]);
	await rows.q(`update public.sites set share_capital_cents = 5000000 where id = $1`, [world.sites.hub]);
	// HUB-B in Marseille, HUB-A in Lyon: 278 km as the crow flies.
	await rows.q(`update public.sites set latitude = 43.2965, longitude = 5.3698 where id = $1`, [world.sites.hub2]);
	await rows.q(`update public.sites set latitude = 45.764, longitude = 4.8357 where id = $1`, [world.sites.hub]);
	const { vehicle } = await rows.parkedVehicle(world.sites.hub);
	await rows.q(`update public.vehicles set plate = $2, mileage_km = 18250 where id = $1`, [vehicle, PLATE]);

	({ id: transferId } = await as('csm', (sql) => requestTransfer(sql, { vehicleId: vehicle, toSiteId: world.sites.hub2, reason: 'Rééquilibrage du stock' }, 'fr')));
	await as(hub2Manager, (sql) => approveTransfer(sql, { transferId, note: 'Place libre au parc B' }, 'fr'));
	await as('site_manager', (sql) => assignDriver(sql, { transferId, driverId: world.people.driver.id }, 'fr'));
	await as('driver', (sql) => advanceTransfer(sql, { transferId, step: 'picked_up', note: 'Rayure pare-choc arrière' }, 'fr'));
	await as('driver', (sql) => advanceTransfer(sql, { transferId, step: 'in_transit' }, 'fr'));
});

describe('the tracker', () => {
	it('shows the receiving site the vehicle on its way, with the distance and the arrival estimated from the pick-up', async () => {
		const [tracked] = (await as('operator_other_site', (sql) => trackedTransfers(sql, {}))).filter((t) => t.id === transferId);
		expect(tracked).toMatchObject({ plate: PLATE, status: 'in_transit', from: 'HUB-A', to: 'HUB-B' });
		expect(tracked.km).toBeCloseTo(277.6 * 1.3, 0);
		const hours = (Date.parse(tracked.etaAt!) - Date.parse(tracked.pickedUpAt!)) / 3_600_000;
		expect(hours).toBeCloseTo(tracked.km! / 70, 3);
		// Filtered by another site or status, it is not there; another organisation never sees it.
		expect((await as('operator_other_site', (sql) => trackedTransfers(sql, { status: 'requested' }))).map((t) => t.id)).not.toContain(transferId);
		expect((await as('admin_other_org', (sql) => trackedTransfers(sql, {}))).map((t) => t.id)).not.toContain(transferId);
	});
});

describe('the delivery note of a transfer', () => {
	it('is refused until the vehicle is delivered, saying when it will exist', async () => {
		const err = await as('site_manager', (sql) => transferNotePdf(sql, store, transferId, 'en')).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(TransferError);
		expect((err as TransferError).status).toBe(409);
		expect((err as TransferError).errors['']).toEqual(['The delivery note is available once the vehicle is delivered.']);
		expect(await downloadStatus('site_manager')).toBe(409);
	});

	it('prints the sending site’s legal details, the vehicle, the route, the driver and every step', async () => {
		await as('driver', (sql) => advanceTransfer(sql, { transferId, step: 'delivered', note: 'Clés au gardien' }, 'fr'));
		const text = await note('site_manager');
		// The sending site (HUB-A) issues it: legal name, SIRET, VAT number, share capital, address.
		expect(text).toContain('HUB-A SAS');
		expect(text).toContain('SIRET 12345678900011');
		expect(text).toContain('FR12123456789');
		expect(text).toMatch(/au capital de 50[\s\u202f\u00a0]000 €/);
		expect(text).toContain('1 rue du Test');
		expect(text).toContain('Bon de livraison de transfert');
		// Vehicle, from, to, driver.
		expect(text).toContain(PLATE);
		expect(text).toContain('Peugeot 308');
		expect(text).toContain('HUB-B');
		expect(text).toContain('Karim Benali');
		// Every step with who and why, and the boxes to sign.
		for (const step of ['Demandé', 'Approuvé', 'Chauffeur affecté', 'Pris en charge', 'En route', 'Livré']) expect(text).toContain(step);
		expect(text).toContain('Claire Martin');
		expect(text).toContain('Place libre au parc B');
		expect(text).toContain('Rayure pare-choc arrière');
		expect(text).toContain('Rééquilibrage du stock');
		expect(text).toContain('Le chauffeur');
		expect(text).toContain('Le destinataire');
	});

	it('reads in English for an English reader', async () => {
		const text = await note('operator_other_site', 'en');
		expect(text).toContain('Transfer delivery note');
		for (const step of ['Requested', 'Approved', 'Picked up', 'Delivered']) expect(text).toContain(step);
	});

	it('is downloaded by staff of either site, still after receipt, and by nobody else', async () => {
		expect(await downloadStatus('site_manager')).toBe(200);
		expect(await downloadStatus('operator_other_site')).toBe(200);
		await as('operator_other_site', (sql) => receiveTransfer(sql, { transferId, note: 'Reçu sans réserve' }, 'fr'));
		expect(await note('operator_other_site')).toContain('Reçu sans réserve');
		expect(await downloadStatus('operator')).toBe(200);
		// Another organisation's admin and a client see the same 404 as for a missing transfer.
		expect(await downloadStatus('admin_other_org')).toBe(404);
		expect(await downloadStatus('client')).toBe(404);
		await expect(as('admin_other_org', (sql) => transferNotePdf(sql, store, transferId, 'fr'))).rejects.toMatchObject({ status: 404 });
	});
});
