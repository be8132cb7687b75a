import { beforeAll, describe, expect, inject, it } from 'vitest';
import { notify } from '../../../src/lib/server/notify';
import { driverDocumentAlerts } from '../../../src/lib/server/transfers/alerts';
import { createWorld, type World } from '../world';
import { transferRows } from './helpers';

/**
 * The daily compliance alerts, run for a day far ahead (2032-06-01) so that this file's
 * documents sit exactly on the thresholds. They go through notify(): in-app rows, and email or
 * SMS deliveries queued by each person's default preferences (site managers and admins by
 * email, the driver by SMS when their profile has a phone). Other files' documents may raise
 * alerts too: the assertions read only this driver's.
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

/** Deliveries queued for this driver's alerts, as "person channel title" lines. */
const deliveriesOf = async () =>
	(
		await rows.q(
			`select n.user_id || ' ' || d.channel || ' ' || n.title as line
			 from public.notification_deliveries d join public.notifications n on n.id = d.notification_id
			 where n.kind = 'driver_document_expiring' and n.title like $1 || '%'
			 order by 1`,
			[name]
		)
	).rows.map((r) => r.line as string);

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	driver = await rows.person('driver', world.sites.hub, name);
	manager = await rows.person('site_manager', world.sites.hub2, 'Paul Girard');
	await rows.q(`update public.profiles set phone = '+33 6 01 02 03 04' where id = $1`, [driver.id]);
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

	it('queues an email to each manager who wants one and an SMS to the driver, once per threshold', async () => {
		const lines = await deliveriesOf();
		const emailed = [manager.id, world.people.site_manager.id, world.people.admin.id];
		for (const title of [`${name} : assurance expiré`, `${name} : permis de conduire expire dans 30 jours`, `${name} : pièce d'identité expire dans 7 jours`]) {
			const forTitle = lines.filter((l) => l.endsWith(` ${title}`)).map((l) => l.split(' ').slice(0, 2).join(' '));
			expect(forTitle.sort()).toEqual([`${driver.id} sms`, ...emailed.map((id) => `${id} email`)].sort());
		}
		// The director reads the alert in the app only; nobody else gets a delivery.
		expect(lines.some((l) => l.startsWith(world.people.director.id))).toBe(false);

		await driverDocumentAlerts(world.pool, today);
		expect(await deliveriesOf()).toEqual(lines);
	});

	it('tells nobody who may not read the document, whoever the caller names', async () => {
		const { rows: docs } = await rows.q(
			`select d.id from public.driver_documents d join public.drivers dr on dr.id = d.driver_id where dr.profile_id = $1 and d.kind = 'licence'`,
			[driver.id]
		);
		const other = await rows.person('driver', world.sites.hub, 'Autre Chauffeur');
		const { notified } = await notify(world.pool, {
			kind: 'driver_document_expiring',
			recipients: [driver.id, other.id, manager.id, world.people.operator.id, world.people.csm.id, world.people.admin_other_org.id],
			subject: { table: 'driver_documents', id: docs[0].id },
			title: { fr: 'Test de visibilité', en: 'Visibility test' },
			link: '/drivers'
		});
		expect(notified.sort()).toEqual([driver.id, manager.id].sort());
	});

	it('raises the next threshold when its day comes, and nothing for a renewed document', async () => {
		// A week later the licence is at 23 days (its 30-day alert was raised), the ID card expired.
		await driverDocumentAlerts(world.pool, '2032-06-08');
		const titles = (await alertsOf()).map((a) => a.title);
		expect(titles.filter((t) => t === `${name} : pièce d'identité expiré`)).toHaveLength(5);
		expect(titles.filter((t) => t.includes('permis de conduire'))).toHaveLength(5);
		expect((await deliveriesOf()).filter((l) => l.endsWith("pièce d'identité expiré"))).toHaveLength(4);

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
