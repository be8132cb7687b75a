import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import type { Storage } from '../../../src/lib/server/storage';
import {
	DriverError,
	driverChoices,
	driverDetail,
	listDrivers,
	readableDriverDocument,
	saveDriver,
	saveDriverDocument,
	setDriverActive
} from '../../../src/lib/server/transfers/drivers';
import { createWorld, type Persona, type World } from '../world';
import { transferRows } from './helpers';

/**
 * Drivers' records and documents as the screens keep them: who may register and file, field
 * errors in French and English, a file stored only with its row (and removed when the row is
 * refused), a replaced file forgotten after the commit, and a document readable by the
 * organisation's managers and its driver only.
 */
let world: World;
const rows = transferRows(() => world);
let driver: { id: string; claims: JwtClaims };
let otherDriver: { id: string; claims: JwtClaims };

const claimsOf = (who: Persona | { claims: JwtClaims }) => (typeof who === 'string' ? world.people[who].claims : who.claims);
const as = <T>(who: Persona | { claims: JwtClaims }, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, claimsOf(who), fn);
const db = (who: Persona | { claims: JwtClaims }) => <T>(fn: (sql: Sql) => Promise<T>) => as(who, fn);

/** Object storage in memory, to see what is written and what is left behind. */
function memoryStore(): Storage & { files: Map<string, Uint8Array> } {
	const files = new Map<string, Uint8Array>();
	return {
		files,
		async put(key, bytes) {
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

const pdf = (text = 'licence') => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const future = '2031-05-31';

async function refusal(p: Promise<unknown>): Promise<DriverError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DriverError);
	return err as DriverError;
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	driver = await rows.person('driver', world.sites.hub, 'Inès Lambert');
	otherDriver = await rows.person('driver', world.sites.hub, 'Marc Petit');
	await rows.driverRecord(otherDriver.id, 'Marc Petit', [['licence', future]]);
});

describe('registering drivers', () => {
	it('lets a site manager register a partner driver, and says field by field what is wrong in French and English', async () => {
		const fr = await refusal(as('site_manager', (sql) => saveDriver(sql, { kind: 'partner', fullName: ' ', phone: 'abc' }, 'fr')));
		expect(fr.status).toBe(400);
		expect(Object.keys(fr.errors).sort()).toEqual(['fullName', 'partnerCompany', 'phone']);
		expect(fr.errors.partnerCompany).toEqual(['Indiquez la société partenaire.']);
		const en = await refusal(as('site_manager', (sql) => saveDriver(sql, { kind: 'internal', fullName: 'Léa', partnerCompany: 'Convoi' }, 'en')));
		expect(en.errors).toEqual({ partnerCompany: ['An internal driver has no partner company.'] });

		const { id } = await as('site_manager', (sql) =>
			saveDriver(sql, { kind: 'partner', fullName: 'Julie Martin', partnerCompany: 'Convoi Sud', phone: '+33 6 11 22 33 44' }, 'fr')
		);
		const seen = await as('director', (sql) => driverDetail(sql, id));
		expect(seen).toMatchObject({ fullName: 'Julie Martin', kind: 'partner', partnerCompany: 'Convoi Sud', active: true });
		expect(seen!.compliance).toMatchObject({ missing: ['licence', 'id_card', 'insurance'], assignable: false });
	});

	it('links a login only to one of the organisation’s drivers without a record, and refuses others the right to register', async () => {
		const wrong = await refusal(
			as('site_manager', (sql) => saveDriver(sql, { kind: 'internal', fullName: 'X', profileId: world.people.operator.id }, 'en'))
		);
		expect(wrong.errors.profileId).toHaveLength(1);
		const taken = await refusal(as('site_manager', (sql) => saveDriver(sql, { kind: 'internal', fullName: 'Y', profileId: otherDriver.id }, 'en')));
		expect(taken.errors.profileId).toHaveLength(1);
		const { id } = await as('admin', (sql) => saveDriver(sql, { kind: 'internal', fullName: 'Inès Lambert', profileId: driver.id }, 'en'));
		expect((await as(driver, (sql) => driverDetail(sql, id)))!.login).toBe('Inès Lambert');

		for (const who of ['operator', 'csm', 'driver'] as const) {
			const err = await refusal(as(who, (sql) => saveDriver(sql, { kind: 'internal', fullName: 'Z' }, 'en')));
			expect(err.status, who).toBe(403);
		}
	});
});

describe('filing documents', () => {
	let driverId: string;
	beforeAll(async () => {
		driverId = (await as(driver, (sql) => sql.query(`select id from public.drivers where profile_id = auth.uid()`))).rows[0].id;
	});

	it('stores the file with its row, and the driver becomes assignable once every mandatory document is valid', async () => {
		const store = memoryStore();
		for (const kind of ['licence', 'id_card', 'insurance']) {
			await saveDriverDocument({
				db: db('site_manager'),
				store,
				input: { driverId, kind, number: `N-${kind}`, expiresOn: future, file: { name: `${kind}.pdf`, bytes: pdf(kind) } },
				locale: 'fr'
			});
		}
		expect(store.files.size).toBe(3);
		const detail = (await as('site_manager', (sql) => driverDetail(sql, driverId)))!;
		expect(detail.compliance.assignable).toBe(true);
		expect(detail.documents.map((d) => [d.kind, d.expiresOn, d.hasFile])).toEqual([
			['licence', future, true],
			['id_card', future, true],
			['insurance', future, true]
		]);
		// The screens' rule and the database's (which refuses the assignment) agree.
		const { rows: rule } = await rows.q(`select private.driver_compliance($1) as missing`, [driverId]);
		expect(rule[0].missing).toEqual([]);
		const choice = (await as('site_manager', driverChoices)).find((c) => c.id === driverId);
		expect(choice?.missing).toEqual([]);
	});

	it('refuses a past expiry date and a file that is not a PDF, JPEG or PNG, storing nothing', async () => {
		const store = memoryStore();
		const before = (await rows.q(`select count(*)::int as n from public.driver_documents where driver_id = $1`, [driverId])).rows[0].n;
		const past = await refusal(
			saveDriverDocument({ db: db('site_manager'), store, input: { driverId, kind: 'professional_card', expiresOn: '2020-01-01', file: { name: 'c.pdf', bytes: pdf() } }, locale: 'fr' })
		);
		expect(past.errors).toEqual({ expiresOn: ['La date d’expiration ne peut pas être passée.'] });
		const exe = await refusal(
			saveDriverDocument({
				db: db('site_manager'),
				store,
				input: { driverId, kind: 'professional_card', expiresOn: future, file: { name: 'card.pdf', bytes: new TextEncoder().encode('MZ not a pdf') } },
				locale: 'en'
			})
		);
		expect(exe.errors).toEqual({ file: ['Only PDF, JPEG or PNG files are accepted.'] });
		const none = await refusal(saveDriverDocument({ db: db('site_manager'), store, input: { driverId, kind: 'professional_card', expiresOn: future }, locale: 'en' }));
		expect(none.errors).toEqual({ file: ['Attach the document (PDF, JPEG or PNG).'] });
		expect(store.files.size).toBe(0);
		expect((await rows.q(`select count(*)::int as n from public.driver_documents where driver_id = $1`, [driverId])).rows[0].n).toBe(before);
	});

	it('removes the stored file when the database refuses the row (a driver filing their own document)', async () => {
		const store = memoryStore();
		const err = await refusal(
			saveDriverDocument({ db: db(driver), store, input: { driverId, kind: 'professional_card', expiresOn: future, file: { name: 'c.pdf', bytes: pdf() } }, locale: 'en' })
		);
		expect(err.status).toBe(403);
		expect(store.files.size).toBe(0);
	});

	it('replaces a document’s file, number and expiry, forgetting the old file after the commit', async () => {
		const store = memoryStore();
		const doc = (await as('site_manager', (sql) => driverDetail(sql, driverId)))!.documents.find((d) => d.kind === 'insurance')!;
		const oldKey = (await rows.q(`select storage_key from public.driver_documents where id = $1`, [doc.id])).rows[0].storage_key;
		store.files.set(oldKey, pdf('old'));
		await saveDriverDocument({
			db: db('director'),
			store,
			input: { driverId, documentId: doc.id, kind: 'insurance', number: 'AXA-2', expiresOn: '2032-01-31', file: { name: 'assurance-2032.pdf', bytes: pdf('new') } },
			locale: 'fr'
		});
		const { rows: after } = await rows.q(`select storage_key, file_name, number, expires_on::text from public.driver_documents where id = $1`, [doc.id]);
		expect(after[0]).toMatchObject({ file_name: 'assurance-2032.pdf', number: 'AXA-2', expires_on: '2032-01-31' });
		expect([...store.files.keys()]).toEqual([after[0].storage_key]);
		// Number and expiry alone keep the file.
		await saveDriverDocument({ db: db('director'), store, input: { driverId, documentId: doc.id, kind: 'insurance', expiresOn: '2032-02-29' }, locale: 'fr' });
		expect((await rows.q(`select storage_key from public.driver_documents where id = $1`, [doc.id])).rows[0].storage_key).toBe(after[0].storage_key);
	});

	it('lets the organisation’s managers and the driver read a document, nobody else', async () => {
		const doc = (await as('site_manager', (sql) => driverDetail(sql, driverId)))!.documents[0];
		for (const who of ['site_manager', 'director', 'admin', driver] as const) {
			expect(await as(who, (sql) => readableDriverDocument(sql, doc.id)), typeof who === 'string' ? who : 'driver').not.toBeNull();
		}
		for (const who of ['operator', 'team_lead', 'csm', 'sales', 'client', 'admin_other_org', otherDriver] as const) {
			expect(await as(who, (sql) => readableDriverDocument(sql, doc.id)), typeof who === 'string' ? who : 'other driver').toBeNull();
		}
		expect(await as(otherDriver, (sql) => driverDetail(sql, driverId))).toBeNull();
	});
});

describe('deactivating', () => {
	it('takes a driver off the transfer choices and the default list, for managers only', async () => {
		const id = (await as(driver, (sql) => sql.query(`select id from public.drivers where profile_id = auth.uid()`))).rows[0].id;
		expect((await refusal(as(driver, (sql) => setDriverActive(sql, { driverId: id, active: false }, 'en')))).status).toBe(403);
		expect((await refusal(as('operator', (sql) => setDriverActive(sql, { driverId: id, active: false }, 'en')))).status).toBe(404);
		await as('site_manager', (sql) => setDriverActive(sql, { driverId: id, active: false }, 'en'));
		expect((await as('site_manager', driverChoices)).some((c) => c.id === id)).toBe(false);
		const listed = await as('site_manager', (sql) => listDrivers(sql, { q: 'Inès', active: 'active' }));
		expect(listed.drivers.some((d) => d.id === id)).toBe(false);
		const inactive = await as('site_manager', (sql) => listDrivers(sql, { q: 'Inès', active: 'inactive' }));
		expect(inactive.drivers.map((d) => d.id)).toEqual([id]);
	});
});
