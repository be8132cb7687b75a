import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import { driverChoices } from '../../../src/lib/server/transfers/drivers';
import { TransferError } from '../../../src/lib/server/transfers/errors';
import {
	advanceTransfer,
	approveTransfer,
	assignDriver,
	cancelTransfer,
	receiveTransfer,
	requestTransfer
} from '../../../src/lib/server/transfers/service';
import { createWorld, type Persona, type World } from '../world';
import { transferRows, valid } from './helpers';

/**
 * A transfer's whole life from hub to hub2 under the default rule (the receiving site's manager
 * approves), each step by the person whose job it is and refused to the others.
 */
let world: World;
let hub2Manager: { id: string; claims: JwtClaims };
const rows = transferRows(() => world);
const claimsOf = (who: Persona | { claims: JwtClaims }) => (typeof who === 'string' ? world.people[who].claims : who.claims);
const as = <T>(who: Persona | { claims: JwtClaims }, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, claimsOf(who), fn);

/** The refusal a step meets, as the server words it. */
async function refusal(p: Promise<unknown>): Promise<TransferError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(TransferError);
	return err as TransferError;
}

const stockOf = (who: Persona | { claims: JwtClaims }, vehicle: string) =>
	as(who, async (sql) => (await sql.query(`select site_id, bay_id, status from public.vehicles where id = $1`, [vehicle])).rows);

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	hub2Manager = await rows.person('site_manager', world.sites.hub2, 'Claire Martin');
	await rows.driverRecord(world.people.driver.id, 'Karim Benali', valid);
});

describe('a transfer from hub to hub2', () => {
	it('lives request → approve → assign → picked up → in transit → delivered → received, moving the stock', async () => {
		const { hub, hub2 } = world.sites;
		const { vehicle, bay } = await rows.parkedVehicle(hub);

		expect(await stockOf('operator', vehicle)).toEqual([{ site_id: hub, bay_id: bay, status: 'in_stock' }]);
		expect(await stockOf('operator_other_site', vehicle)).toEqual([]);

		const { id } = await as('csm', (sql) =>
			requestTransfer(sql, { vehicleId: vehicle, toSiteId: hub2, reason: 'Client de Villeurbanne, livraison plus rapide depuis HUB-B' }, 'fr')
		);

		// The sending site's manager is not the approver under the default rule.
		const notApprover = await refusal(as('site_manager', (sql) => approveTransfer(sql, { transferId: id }, 'en')));
		expect(notApprover.status).toBe(403);
		expect(notApprover.errors['']).toEqual(['Only a manager of the site named by the organisation’s rule approves this transfer.']);
		// Nor does anyone skip a step.
		const skipped = await refusal(as('site_manager', (sql) => advanceTransfer(sql, { transferId: id, step: 'delivered' }, 'en')));
		expect(skipped.status).toBe(409);

		await as(hub2Manager, (sql) => approveTransfer(sql, { transferId: id, note: 'Place libre au parc B' }, 'fr'));
		await as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: world.people.driver.id, note: 'Karim, tournée du matin' }, 'fr'));

		// Only the assigned driver records the road.
		expect((await refusal(as('site_manager', (sql) => advanceTransfer(sql, { transferId: id, step: 'picked_up' }, 'en')))).errors['']).toEqual([
			'Only the assigned driver records this step.'
		]);
		const driverSkips = await refusal(as('driver', (sql) => advanceTransfer(sql, { transferId: id, step: 'delivered' }, 'en')));
		expect(driverSkips.errors['']).toEqual(['This step does not follow the transfer’s current state.']);
		await as('driver', (sql) => advanceTransfer(sql, { transferId: id, step: 'picked_up', note: 'Rayure pare-choc notée' }, 'fr'));
		// Picked up: out of its bay, still in the sending site's stock until received.
		expect(await stockOf('operator', vehicle)).toEqual([{ site_id: hub, bay_id: null, status: 'in_transit' }]);
		await as('driver', (sql) => advanceTransfer(sql, { transferId: id, step: 'in_transit' }, 'fr'));
		await as('driver', (sql) => advanceTransfer(sql, { transferId: id, step: 'delivered', note: 'Clés au gardien' }, 'fr'));

		// The sending site does not receive; the receiving site's staff do.
		expect((await refusal(as('operator', (sql) => receiveTransfer(sql, { transferId: id }, 'en')))).status).toBe(403);
		await as('operator_other_site', (sql) => receiveTransfer(sql, { transferId: id, note: 'Reçu sans dommage supplémentaire' }, 'fr'));

		expect(await stockOf('operator', vehicle)).toEqual([]);
		expect(await stockOf('operator_other_site', vehicle)).toEqual([{ site_id: hub2, bay_id: null, status: 'in_stock' }]);

		const events = await as('operator_other_site', async (sql) => {
			const r = await sql.query(`select status, actor_id, note, occurred_at from public.transfer_events where transfer_id = $1 order by occurred_at, status`, [id]);
			return r.rows;
		});
		expect(events.map((e) => [e.status, e.actor_id, e.note])).toEqual([
			['requested', world.people.csm.id, 'Client de Villeurbanne, livraison plus rapide depuis HUB-B'],
			['approved', hub2Manager.id, 'Place libre au parc B'],
			['driver_assigned', world.people.site_manager.id, 'Karim, tournée du matin'],
			['picked_up', world.people.driver.id, 'Rayure pare-choc notée'],
			['in_transit', world.people.driver.id, null],
			['delivered', world.people.driver.id, 'Clés au gardien'],
			['received', world.people.operator_other_site.id, 'Reçu sans dommage supplémentaire']
		]);
		expect(events.every((e) => e.occurred_at instanceof Date)).toBe(true);

		const audit = await rows.q(`select op, actor_id, reason, new_row ->> 'status' as status from public.audit_log where table_name = 'transfers' and row_id = $1 order by id`, [id]);
		expect(audit.rows.map((a) => [a.op, a.actor_id, a.status])).toEqual([
			['insert', world.people.csm.id, 'requested'],
			['update', hub2Manager.id, 'approved'],
			['update', world.people.site_manager.id, 'driver_assigned'],
			['update', world.people.driver.id, 'picked_up'],
			['update', world.people.driver.id, 'in_transit'],
			['update', world.people.driver.id, 'delivered'],
			['update', world.people.operator_other_site.id, 'received']
		]);
		expect(audit.rows[1].reason).toBe('Place libre au parc B');
	});

	it('follows the organisation rule: with "sending", the sending site manager approves', async () => {
		await rows.q(`update public.organisations set settings = settings || '{"transfer_approval": "sending"}' where id = $1`, [world.orgId]);
		try {
			const { vehicle } = await rows.parkedVehicle(world.sites.hub);
			const { id } = await as('csm', (sql) => requestTransfer(sql, { vehicleId: vehicle, toSiteId: world.sites.hub2, reason: 'Rééquilibrage du stock' }, 'fr'));
			expect((await refusal(as(hub2Manager, (sql) => approveTransfer(sql, { transferId: id }, 'fr')))).status).toBe(403);
			await as('site_manager', (sql) => approveTransfer(sql, { transferId: id }, 'fr'));
			const status = await rows.q(`select status from public.transfers where id = $1`, [id]);
			expect(status.rows[0].status).toBe('approved');
		} finally {
			await rows.q(`update public.organisations set settings = settings - 'transfer_approval' where id = $1`, [world.orgId]);
		}
	});
});

describe('a delivery to a client address', () => {
	it('is approved and received by the sending site, and leaves the vehicle delivered', async () => {
		const { vehicle } = await rows.parkedVehicle(world.sites.hub);
		const both = await refusal(
			as('csm', (sql) =>
				requestTransfer(sql, { vehicleId: vehicle, toSiteId: world.sites.hub2, deliveryAddress: '12 rue de la République, Lyon', reason: 'Vente' }, 'en')
			)
		);
		expect(both.errors).toEqual({ toSiteId: ['Choose a receiving site or a delivery address, not both.'] });

		const { id } = await as('csm', (sql) =>
			requestTransfer(
				sql,
				{ vehicleId: vehicle, deliveryAddress: '12 rue de la République, 69002 Lyon', clientAccountId: world.clients.acme, reason: 'Livraison client' },
				'fr'
			)
		);
		await as('site_manager', (sql) => approveTransfer(sql, { transferId: id }, 'fr'));
		await as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: world.people.driver.id }, 'fr'));
		for (const step of ['picked_up', 'in_transit', 'delivered'] as const) {
			await as('driver', (sql) => advanceTransfer(sql, { transferId: id, step }, 'fr'));
		}
		await as('operator', (sql) => receiveTransfer(sql, { transferId: id, note: 'Bon de livraison signé' }, 'fr'));
		expect(await stockOf('operator', vehicle)).toEqual([{ site_id: world.sites.hub, bay_id: null, status: 'delivered' }]);
		// The client follows their delivery.
		const seen = await as('client', (sql) => sql.query(`select status from public.transfers where id = $1`, [id]));
		expect(seen.rows).toEqual([{ status: 'received' }]);
	});
});

describe('one open transfer per vehicle', () => {
	it('refuses a second request while one is open, and allows it again once received or cancelled', async () => {
		const { hub, hub2 } = world.sites;
		const { vehicle } = await rows.parkedVehicle(hub);
		const ask = (who: Persona | { claims: JwtClaims }, to: string, locale: 'fr' | 'en' = 'en') =>
			as(who, (sql) => requestTransfer(sql, { vehicleId: vehicle, toSiteId: to, reason: 'Stock' }, locale));

		const first = await ask('csm', hub2);
		const twice = await refusal(ask('site_manager', hub2));
		expect(twice.status).toBe(409);
		expect(twice.errors).toEqual({ vehicleId: ['This vehicle is already in an open transfer.'] });
		expect((await refusal(ask('site_manager', hub2, 'fr'))).errors.vehicleId).toEqual(['Ce véhicule fait déjà l’objet d’un transfert en cours.']);

		// Delivered is still open: the vehicle is not received yet.
		await as(hub2Manager, (sql) => approveTransfer(sql, { transferId: first.id }, 'en'));
		await as('site_manager', (sql) => assignDriver(sql, { transferId: first.id, driverId: world.people.driver.id }, 'en'));
		for (const step of ['picked_up', 'in_transit', 'delivered'] as const) {
			await as('driver', (sql) => advanceTransfer(sql, { transferId: first.id, step }, 'en'));
		}
		expect((await refusal(ask('site_manager', hub2))).status).toBe(409);
		await as(hub2Manager, (sql) => receiveTransfer(sql, { transferId: first.id }, 'en'));

		// Received at hub2: hub2 may send it back; a cancelled request frees it too.
		const back = await ask(hub2Manager, hub);
		expect((await refusal(ask(hub2Manager, hub))).status).toBe(409);
		// Cancelling needs a reason; on the road it is too late (checked below on another vehicle).
		expect((await refusal(as(hub2Manager, (sql) => cancelTransfer(sql, { transferId: back.id, reason: '' }, 'en')))).errors.reason).toBeDefined();
		await as(hub2Manager, (sql) => cancelTransfer(sql, { transferId: back.id, reason: 'Vendu sur place' }, 'fr'));
		await ask(hub2Manager, hub);
	});

	it('is a database constraint, whoever writes', async () => {
		const { vehicle } = await rows.parkedVehicle(world.sites.hub);
		const insert = () =>
			rows.q(`insert into public.transfers (organisation_id, vehicle_id, from_site_id, to_site_id, reason) values ($1, $2, $3, $4, 'x')`, [
				world.orgId,
				vehicle,
				world.sites.hub,
				world.sites.hub2
			]);
		await insert();
		await expect(insert()).rejects.toMatchObject({ code: '23505', constraint: 'transfers_one_open_per_vehicle' });
	});

	it('cannot be cancelled once on the road, nor by someone uninvolved', async () => {
		const { vehicle } = await rows.parkedVehicle(world.sites.hub);
		const { id } = await as('csm', (sql) => requestTransfer(sql, { vehicleId: vehicle, toSiteId: world.sites.hub2, reason: 'Stock' }, 'en'));
		expect((await refusal(as('operator', (sql) => cancelTransfer(sql, { transferId: id, reason: 'No' }, 'en')))).status).toBe(403);
		await as(hub2Manager, (sql) => approveTransfer(sql, { transferId: id }, 'en'));
		await as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: world.people.driver.id }, 'en'));
		await as('driver', (sql) => advanceTransfer(sql, { transferId: id, step: 'picked_up' }, 'en'));
		expect((await refusal(as('site_manager', (sql) => cancelTransfer(sql, { transferId: id, reason: 'Too late' }, 'en')))).status).toBe(409);
	});
});

describe('driver compliance', () => {
	it('refuses a driver without a licence, or whose insurance has expired, saying why', async () => {
		const noLicence = await rows.person('driver', world.sites.hub, 'Léa Petit');
		await rows.driverRecord(noLicence.id, 'Léa Petit', valid.filter(([kind]) => kind !== 'licence'));
		const lapsed = await rows.person('driver', world.sites.hub, 'Hugo Roux');
		const lapsedDriver = await rows.driverRecord(lapsed.id, 'Hugo Roux', [
			['licence', '2040-01-01'],
			['id_card', null],
			['insurance', '2020-01-31']
		]);
		const { vehicle } = await rows.parkedVehicle(world.sites.hub);
		const { id } = await as('csm', (sql) => requestTransfer(sql, { vehicleId: vehicle, toSiteId: world.sites.hub2, reason: 'Stock' }, 'en'));
		await as(hub2Manager, (sql) => approveTransfer(sql, { transferId: id }, 'en'));

		const missing = await refusal(as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: noLicence.id }, 'en')));
		expect(missing.status).toBe(409);
		expect(missing.errors).toEqual({ driverId: ['This driver cannot be assigned: missing or expired document (driving licence).'] });
		const expired = await refusal(as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: lapsed.id }, 'fr')));
		expect(expired.errors).toEqual({ driverId: ['Ce chauffeur ne peut pas être affecté : document manquant ou expiré (assurance).'] });
		// A driver with no record at all lacks everything; someone who is no driver is refused outright.
		const unrecorded = await rows.person('driver', world.sites.hub, 'Sam Durand');
		const nobody = await refusal(as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: unrecorded.id }, 'en')));
		expect(nobody.errors.driverId?.[0]).toContain('driving licence, ID card, insurance');
		expect((await refusal(as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: world.people.operator.id }, 'en')))).status).toBe(403);

		const compliance = await rows.q(`select private.driver_compliance($1) as missing`, [lapsedDriver]);
		expect(compliance.rows[0].missing).toEqual(['insurance']);
		// The assignment form shows the same, compliant drivers first; an operator sees no driver.
		const choices = await as('site_manager', (sql) => driverChoices(sql));
		expect(choices.map((c) => [c.fullName, c.missing])).toEqual([
			['Karim Benali', []],
			['Hugo Roux', ['insurance']],
			['Léa Petit', ['licence']]
		]);
		expect(await as('operator', (sql) => driverChoices(sql))).toEqual([]);

		// Renewed: assignable.
		await as('site_manager', (sql) =>
			sql.query(`insert into public.driver_documents (organisation_id, driver_id, kind, expires_on) values ($1, $2, 'insurance', '2031-01-31')`, [
				world.orgId,
				lapsedDriver
			])
		);
		await as('site_manager', (sql) => assignDriver(sql, { transferId: id, driverId: lapsed.id }, 'en'));
		const status = await rows.q(`select status, driver_id from public.transfers where id = $1`, [id]);
		expect(status.rows[0]).toEqual({ status: 'driver_assigned', driver_id: lapsed.id });
	});
});
