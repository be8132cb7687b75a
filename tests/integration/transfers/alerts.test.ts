import { beforeAll, describe, expect, inject, it } from 'vitest';
import { driverDocumentAlerts } from '../../../src/lib/server/transfers/alerts';
import { createWorld, type World } from '../world';
import { transferRows } from './helpers';

/**
 * The daily compliance alerts, run for a day far ahead (2032-06-01) so that this file's
 * documents sit exactly on the thresholds. Other files' documents may raise alerts too: the
 * assertions read only this driver's.
 */
let world: World;
const rows = transferRows(() => world);
const today = '2032-06-01';
let driver: { id: string };
let manager: { id: string };
const name = 'Nadia Ferreira';

const alertsOf = async () =>
	(
		await rows.q(
			`select n.user_id, n.title, n.link from public.notifications n
			 where n.kind = 'driver_document_expiring' and n.title like $1 || '%' and n.user_id in (select id from public.profiles where organisation_id = $2)
			 order by n.title, n.user_id`,
			[name, world.orgId]
		)
	).rows;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	driver = await rows.person('driver', world.sites.hub, name);
	manager = await rows.person('site_manager', world.sites.hub2, 'Paul Girard');
	await rows.driverRecord(driver.id, name, [
		['licence', '2032-07-01'], // 30 days
		['id_card', '2032-06-08'], // 7 days
		['insurance', today], // expires today
		['professional_card', '2032-09-01'] // far off: nothing yet
	]);
});

describe('driverDocumentAlerts', () => {
	it('tells the driver and the managers at 30 and 7 days and on expiry, once each', async () => {
		await driverDocumentAlerts(world.pool, today);
		const first = await alertsOf();
		const recipients = [driver.id, manager.id, world.people.site_manager.id, world.people.director.id, world.people.admin.id].sort();
		const titles = [...new Set(first.map((a) => a.title))].sort();
		expect(titles).toEqual([`${name} : assurance expiré`, `${name} : permis de conduire expire dans 30 jours`, `${name} : pièce d'identité expire dans 7 jours`]);
		for (const title of titles) {
			expect(first.filter((a) => a.title === title).map((a) => a.user_id).sort()).toEqual(recipients);
		}
		// Not the operator, the CSM or another organisation.
		expect(first.some((a) => a.user_id === world.people.operator.id)).toBe(false);
		expect(first[0].link).toMatch(/^\/drivers\/[0-9a-f-]{36}$/);

		await driverDocumentAlerts(world.pool, today);
		expect(await alertsOf()).toHaveLength(first.length);
	});

	it('raises the next threshold when its day comes, and nothing for a renewed document', async () => {
		// A week later the licence is at 23 days (its 30-day alert was raised), the ID card expired.
		await driverDocumentAlerts(world.pool, '2032-06-08');
		const titles = (await alertsOf()).map((a) => a.title);
		expect(titles.filter((t) => t === `${name} : pièce d'identité expiré`)).toHaveLength(5);
		expect(titles.filter((t) => t.includes('permis de conduire'))).toHaveLength(5);

		// The licence renewed before its 7-day mark: the old one raises nothing more.
		await rows.q(
			`insert into public.driver_documents (organisation_id, driver_id, kind, expires_on)
			 select organisation_id, id, 'licence', '2047-07-01' from public.drivers where profile_id = $1`,
			[driver.id]
		);
		await driverDocumentAlerts(world.pool, '2032-06-25');
		expect((await alertsOf()).filter((a) => a.title.includes('permis de conduire'))).toHaveLength(5);
	});
});
