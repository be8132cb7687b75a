import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type Sql } from '../../../src/lib/server/db/pool';
import { YardError } from '../../../src/lib/server/yard/errors';
import { recordGateIn, recordGateOut } from '../../../src/lib/server/yard/gate';
import { readablePhoto } from '../../../src/lib/server/yard/photos';
import { createWorld, testVin, type Persona, type World } from '../world';
import { memoryStorage, photo, yardRows } from './helpers';

/**
 * Gate in and gate out as an operator's phone sends them: everything of one action lands in one
 * transaction or nothing does, a replay writes once, and the site decides who may act.
 */
let world: World;
let bays: Awaited<ReturnType<ReturnType<typeof yardRows>['yard']>>;
const rows = yardRows(() => world);
const store = memoryStorage();
const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const gateIn = (who: Persona, input: Record<string, unknown>) => recordGateIn(world.pool, world.people[who].claims, input, 'en', store);

async function refusal(p: Promise<unknown>): Promise<YardError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(YardError);
	return err as YardError;
}

/** What the database holds for a vehicle, read as the superuser. */
async function facts(vehicleId: string) {
	const v = (await rows.q(`select status, bay_id, arrived_at, mileage_km from public.vehicles where id = $1`, [vehicleId])).rows[0];
	const movements = (await rows.q(`select id, kind, bay_id, order_id, recorded_by from public.movements where vehicle_id = $1 order by occurred_at`, [vehicleId])).rows;
	const inspections = (await rows.q(`select id, movement_id, mileage_km, energy_level_percent, damages, photos, comments from public.inspections where vehicle_id = $1`, [vehicleId]))
		.rows;
	return { v, movements, inspections };
}

const countByKey = async (key: string) => (await rows.q(`select count(*)::int as n from public.movements where idempotency_key = $1`, [key])).rows[0].n;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	bays = await rows.yard(world.sites.hub);
});

describe('gate in', () => {
	it('writes the movement, the inspection with its photo, occupies the bay and puts the vehicle on site, audited', async () => {
		const { id, vin } = await rows.vehicle(world.sites.hub, world.clients.acme);
		const key = randomUUID();
		const before = Date.now();
		const damage = { x: 0.1, y: 0.2, zone: 'front_left', kind: 'scratch', severity: 2, note: '5 cm' };
		const result = await gateIn('operator', {
			siteId: world.sites.hub,
			vin,
			bayId: bays.R2,
			mileageKm: 48210,
			energyPercent: 35,
			damages: [damage],
			comments: 'Clés dans la boîte',
			photos: [photo],
			idempotencyKey: key
		});
		expect(result).toMatchObject({ vehicleId: id, bayId: bays.R2, replayed: false });

		const { v, movements, inspections } = await facts(id);
		expect(v).toMatchObject({ status: 'on_site', bay_id: bays.R2, mileage_km: 48210 });
		// The server's clock, not the phone's.
		expect(v.arrived_at.getTime()).toBeGreaterThanOrEqual(before - 5000);
		expect(movements).toEqual([{ id: result.movementId, kind: 'gate_in', bay_id: bays.R2, order_id: null, recorded_by: world.people.operator.id }]);
		expect(inspections).toHaveLength(1);
		expect(inspections[0]).toMatchObject({ id: result.inspectionId, movement_id: result.movementId, mileage_km: 48210, energy_level_percent: 35, damages: [damage], comments: 'Clés dans la boîte' });
		const [stored] = inspections[0].photos;
		expect(stored.key).toMatch(new RegExp(`^yard/${world.sites.hub}/${id}/[0-9a-f-]{36}\\.png$`));
		expect(store.files.get(stored.key)).toEqual(photo.bytes);

		const audit = (await rows.q(`select table_name, op, actor_id from public.audit_log where row_id = any($1::uuid[]) order by table_name`, [[result.movementId, result.inspectionId]])).rows;
		expect(audit).toEqual([
			{ table_name: 'inspections', op: 'insert', actor_id: world.people.operator.id },
			{ table_name: 'movements', op: 'insert', actor_id: world.people.operator.id }
		]);
	});

	it('registers an unknown vehicle in the site’s organisation, and needs its details to do so', async () => {
		const vin = testVin();
		const missing = await refusal(gateIn('operator', { siteId: world.sites.hub, vin, idempotencyKey: randomUUID() }));
		expect([missing.status, missing.errors.vin]).toEqual([400, ['Unknown vehicle: enter its VIN, make, model and energy.']]);

		const result = await gateIn('operator', {
			siteId: world.sites.hub,
			vin,
			plate: 'gh 456 jk',
			make: 'Tesla',
			model: 'Model 3',
			energy: 'electric',
			clientAccountId: world.clients.beta,
			bayId: bays.K1,
			idempotencyKey: randomUUID()
		});
		const created = (await rows.q(`select organisation_id, site_id, plate, client_account_id, status from public.vehicles where id = $1`, [result.vehicleId])).rows[0];
		expect(created).toEqual({ organisation_id: world.orgId, site_id: world.sites.hub, plate: 'GH-456-JK', client_account_id: world.clients.beta, status: 'on_site' });
		// Found by its plate the next time, and it is already in.
		const again = await refusal(gateIn('operator', { siteId: world.sites.hub, plate: 'GH-456-JK', idempotencyKey: randomUUID() }));
		expect([again.status, again.errors.plate]).toEqual([409, ['This vehicle is already on site.']]);
		await rows.q(`update public.vehicles set bay_id = null, status = 'delivered' where id = $1`, [result.vehicleId]);
	});

	it('writes nothing when the bay is taken, and answers 409 "bay taken", not a server error', async () => {
		const occupant = await rows.vehicle(world.sites.hub, world.clients.acme, bays.W1);
		const vin = testVin();
		const key = randomUUID();
		const stored = store.files.size;
		const err = await refusal(
			gateIn('operator', { siteId: world.sites.hub, vin, make: 'Fiat', model: '500', energy: 'petrol', bayId: bays.W1, photos: [photo], idempotencyKey: key })
		);
		expect([err.status, err.code, err.errors.bayId]).toEqual([409, 'bay_taken', ['This bay is taken: choose another one.']]);
		// Not the vehicle registered on the way, not the movement, not the photo.
		expect((await rows.q(`select count(*)::int as n from public.vehicles where vin = $1`, [vin])).rows[0].n).toBe(0);
		expect(await countByKey(key)).toBe(0);
		expect(store.files.size).toBe(stored);
		expect((await facts(occupant.id)).v.bay_id).toBe(bays.W1);
		await rows.q(`update public.vehicles set bay_id = null, status = 'delivered' where id = $1`, [occupant.id]);
	});

	it('writes nothing when storing a photo fails after the rows were written', async () => {
		const { id, vin } = await rows.vehicle(world.sites.hub, world.clients.acme);
		const key = randomUUID();
		store.failOn = true;
		await expect(gateIn('operator', { siteId: world.sites.hub, vin, bayId: bays.R1, photos: [photo], idempotencyKey: key })).rejects.toThrow('storage unavailable');
		store.failOn = false;
		const { v, movements, inspections } = await facts(id);
		expect([v.status, v.bay_id, v.arrived_at, movements, inspections]).toEqual(['expected', null, null, [], []]);
		expect((await rows.q(`select count(*)::int as n from public.audit_log where table_name = 'movements' and new_row ->> 'idempotency_key' = $1`, [key])).rows[0].n).toBe(0);
	});

	it('writes once when the same submission arrives twice, even at the same time', async () => {
		const { id, vin } = await rows.vehicle(world.sites.hub, world.clients.acme);
		const key = randomUUID();
		const input = { siteId: world.sites.hub, vin, bayId: bays.R1, mileageKm: 1200, photos: [photo], idempotencyKey: key };
		const before = store.files.size;
		const [a, b] = await Promise.all([gateIn('operator', input), gateIn('operator', input)]);
		const third = await gateIn('operator', input);
		expect([a.movementId, b.movementId, third.movementId].every((m) => m === a.movementId)).toBe(true);
		expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
		expect(third).toMatchObject({ replayed: true, inspectionId: a.inspectionId, bayId: bays.R1, photos: a.photos });
		expect(await countByKey(key)).toBe(1);
		const { movements, inspections } = await facts(id);
		expect([movements.length, inspections.length]).toEqual([1, 1]);
		expect(store.files.size).toBe(before + 1);
	});

	it('keeps two vehicles out of one bay, even when two gate-ins race for it', async () => {
		const { hub } = world.sites;
		const x = await rows.vehicle(hub, world.clients.acme);
		const y = await rows.vehicle(hub, world.clients.acme);
		// The database itself refuses, whoever writes.
		await expect(rows.q(`update public.vehicles set bay_id = $1 where id = any($2::uuid[])`, [bays.W2, [x.id, y.id]])).rejects.toMatchObject({
			code: '23505',
			constraint: 'vehicles_one_per_bay'
		});
		const results = await Promise.allSettled(
			[x, y].map((v) => gateIn('operator', { siteId: hub, vin: v.vin, bayId: bays.W2, idempotencyKey: randomUUID() }))
		);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason).toMatchObject({ status: 409, code: 'bay_taken' });
		expect((await rows.q(`select count(*)::int as n from public.vehicles where bay_id = $1`, [bays.W2])).rows[0].n).toBe(1);
	});

	it('lets nobody gate a vehicle in at a site where they do not work', async () => {
		const { id, vin } = await rows.vehicle(world.sites.hub, world.clients.acme);
		for (const who of ['operator_other_site', 'client', 'csm'] as const) {
			const key = randomUUID();
			const err = await refusal(gateIn(who, { siteId: world.sites.hub, vin, bayId: bays.R1, idempotencyKey: key }));
			expect(err.code, who).toBe('forbidden');
			expect(await countByKey(key)).toBe(0);
		}
		expect((await facts(id)).v).toMatchObject({ status: 'expected', bay_id: null });
	});
});

describe('bay suggestion', () => {
	const suggest = (vehicle: string | null, site: string) =>
		as('operator', async (sql) => (await sql.query(`select public.suggest_bay($1, $2) as bay`, [site, vehicle])).rows[0].bay);

	it('picks the free bay nearest the entrance in the zone of the first planned service, else reception', async () => {
		const w = await rows.yard(world.sites.hub2);
		const at2 = (vehicle: string | null) =>
			withUser(world.pool, world.people.operator_other_site.claims, async (sql) => (await sql.query(`select public.suggest_bay($1, $2) as bay`, [world.sites.hub2, vehicle])).rows[0].bay);
		const washFirst = await rows.vehicle(world.sites.hub2, world.clients.acme);
		await rows.order(world.sites.hub2, world.clients.acme, washFirst.id, ['wash', 'workshop']);
		// W2 (rank 3) before W1 (rank 9), though the workshop's K1 ranks first overall.
		expect(await at2(washFirst.id)).toBe(w.W2);
		// No service planned: reception, R1 (rank 2) before R2.
		expect(await at2(null)).toBe(w.R1);
		// Occupied bays are skipped.
		await rows.vehicle(world.sites.hub2, world.clients.acme, w.W2);
		expect(await at2(washFirst.id)).toBe(w.W1);

		// A gate-in without a chosen bay takes the suggestion.
		const result = await recordGateIn(world.pool, world.people.operator_other_site.claims, { siteId: world.sites.hub2, vin: washFirst.vin, idempotencyKey: randomUUID() }, 'fr', store);
		expect(result.bayId).toBe(w.W1);
		// Staff of another site get no suggestion from a yard they cannot see.
		expect(await suggest(null, world.sites.hub2)).toBeNull();
	});
});

describe('gate out', () => {
	it('delivers the vehicle for its order: movement, inspection, bay released', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme, bays.K1);
		const orderId = await rows.order(world.sites.hub, world.clients.acme, id, ['wash']);
		const key = randomUUID();
		const result = await recordGateOut(world.pool, world.people.operator.claims, { vehicleId: id, orderId, mileageKm: 48300, energyPercent: 30, idempotencyKey: key }, 'en', store);
		const { v, movements, inspections } = await facts(id);
		expect(v).toMatchObject({ status: 'delivered', bay_id: null, mileage_km: 48300 });
		expect(movements).toEqual([{ id: result.movementId, kind: 'gate_out', bay_id: bays.K1, order_id: orderId, recorded_by: world.people.operator.id }]);
		expect(inspections[0]).toMatchObject({ movement_id: result.movementId, energy_level_percent: 30 });
		// The bay is free for the next one.
		expect((await rows.q(`select count(*)::int as n from public.vehicles where bay_id = $1`, [bays.K1])).rows[0].n).toBe(0);

		// Replayed: the same answer; a vehicle gone is not delivered twice.
		expect(await recordGateOut(world.pool, world.people.operator.claims, { vehicleId: id, orderId, idempotencyKey: key }, 'en', store)).toMatchObject({
			movementId: result.movementId,
			replayed: true
		});
		const twice = await refusal(recordGateOut(world.pool, world.people.operator.claims, { vehicleId: id, idempotencyKey: randomUUID() }, 'en', store));
		expect([twice.status, twice.errors.vehicleId]).toEqual([409, ['This vehicle is not on site.']]);
	});

	it('refuses an order the vehicle is not part of, and people who do not work the yard', async () => {
		const { id } = await rows.vehicle(world.sites.hub, world.clients.acme, bays.W1);
		const other = await rows.vehicle(world.sites.hub, world.clients.acme);
		const otherOrder = await rows.order(world.sites.hub, world.clients.acme, other.id, ['wash']);
		const wrong = await refusal(recordGateOut(world.pool, world.people.operator.claims, { vehicleId: id, orderId: otherOrder, idempotencyKey: randomUUID() }, 'fr', store));
		expect([wrong.status, wrong.errors.orderId]).toEqual([404, ['Ce véhicule ne fait pas partie de cette commande.']]);
		expect((await refusal(recordGateOut(world.pool, world.people.csm.claims, { vehicleId: id, idempotencyKey: randomUUID() }, 'fr', store))).code).toBe('forbidden');
		expect((await refusal(recordGateOut(world.pool, world.people.operator_other_site.claims, { vehicleId: id, idempotencyKey: randomUUID() }, 'fr', store))).code).toBe('not_found');
		expect((await facts(id)).v).toMatchObject({ status: 'on_site', bay_id: bays.W1 });
	});
});

describe('inspection photos', () => {
	it('are readable by the site’s staff and the vehicle’s client only', async () => {
		const { vin } = await rows.vehicle(world.sites.hub, world.clients.acme);
		const { photos } = await gateIn('operator', { siteId: world.sites.hub, vin, photos: [photo, photo], idempotencyKey: randomUUID() });
		expect(photos).toHaveLength(2);
		const key = photos[1].key;
		const reads = async (who: Persona) => (await as(who, (sql) => readablePhoto(sql, key))) !== null;
		expect(await reads('operator')).toBe(true);
		expect(await reads('site_manager')).toBe(true);
		expect(await reads('client')).toBe(true);
		expect(await reads('client_other_account')).toBe(false);
		expect(await reads('operator_other_site')).toBe(false);
		expect(await reads('admin_other_org')).toBe(false);
	});

	it('stay closed to another site that copies a key into an inspection of its own', async () => {
		const { photos } = await gateIn('operator', { siteId: world.sites.hub, vin: (await rows.vehicle(world.sites.hub, world.clients.acme)).vin, photos: [photo], idempotencyKey: randomUUID() });
		const theirs = await rows.vehicle(world.sites.hub2, world.clients.acme);
		const readsCopy = await withUser(world.pool, world.people.operator_other_site.claims, async (sql) => {
			await sql.query(`insert into public.inspections (site_id, client_account_id, vehicle_id, photos) values ($1, $2, $3, $4)`, [
				world.sites.hub2,
				world.clients.acme,
				theirs.id,
				JSON.stringify(photos)
			]);
			return readablePhoto(sql, photos[0].key);
		});
		expect(readsCopy).toBeNull();
	});
});
