import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser } from '../../../src/lib/server/db/pool';
import { createOrder } from '../../../src/lib/server/orders/create-order';
import { diskStorage } from '../../../src/lib/server/storage';
import { customisedTemplates, readTemplate, replaceLogo, resetTemplate, saveTemplate } from '../../../src/lib/server/documents/templates-admin';
import { samplePng } from '../../../src/lib/server/documents/render/samples';
import { orderHistory } from '../../../src/lib/server/audit';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * The template editor's and the order history's queries, run as each persona under row-level
 * security: the policies decide, the code only shapes the answer.
 */

let world: World;
beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
});

const as = <T>(persona: Persona, fn: Parameters<typeof withUser<T>>[2]) => withUser(world.pool, world.people[persona].claims, fn);
const key = (site: string) => ({ siteId: site, kind: 'invoice' as const, locale: 'fr' as const, reason: 'Nouvelle mention' });
const stored = async (site: string) =>
	(await world.pool.query(`select texts from public.document_templates where site_id = $1 and kind = 'invoice' and locale = 'fr'`, [site])).rows[0]?.texts ?? null;

describe('document templates', () => {
	it('a site manager writes, rewrites and resets the templates of their site', async () => {
		const { hub } = world.sites;
		expect(await as('site_manager', (sql) => saveTemplate(sql, { ...key(hub), texts: { title: 'Facture A' } }))).toBe('saved');
		expect(await as('site_manager', (sql) => saveTemplate(sql, { ...key(hub), texts: { title: 'Facture B', footer: 'SAS' } }))).toBe('saved');
		expect(await stored(hub)).toEqual({ title: 'Facture B', footer: 'SAS' });
		const read = await as('csm', (sql) => readTemplate(sql, hub, 'invoice', 'fr'));
		expect(read).toMatchObject({ texts: { title: 'Facture B', footer: 'SAS' }, updatedBy: 'site_manager' });
		expect(await as('site_manager', (sql) => customisedTemplates(sql, hub))).toEqual([{ kind: 'invoice', locale: 'fr' }]);
		expect(await as('site_manager', (sql) => saveTemplate(sql, { ...key(hub), texts: {} }))).toBe('reset');
		expect(await stored(hub)).toBeNull();
	});

	it('others may read but not write: the database refuses', async () => {
		const { hub, hub2 } = world.sites;
		await as('site_manager', (sql) => saveTemplate(sql, { ...key(hub), texts: { title: 'Facture C' } }));
		await expect(as('csm', (sql) => saveTemplate(sql, { ...key(hub), texts: { title: 'Pirate' } }))).rejects.toMatchObject({ code: '42501' });
		await expect(as('site_manager', (sql) => saveTemplate(sql, { ...key(hub2), texts: { title: 'Ailleurs' } }))).rejects.toMatchObject({ code: '42501' });
		expect(await as('csm', (sql) => resetTemplate(sql, key(hub)))).toBe(false);
		expect(await stored(hub)).toEqual({ title: 'Facture C' });
		expect(await as('operator_other_site', (sql) => readTemplate(sql, hub, 'invoice', 'fr'))).toBeNull();
	});

	it('an organisation-wide admin writes at every site', async () => {
		expect(await as('admin', (sql) => saveTemplate(sql, { ...key(world.sites.hub2), texts: { intro: 'Bonjour' } }))).toBe('saved');
		expect(await stored(world.sites.hub2)).toEqual({ intro: 'Bonjour' });
	});
});

describe('site logo', () => {
	const store = diskStorage(mkdtempSync(join(tmpdir(), 'relais-logo-')));
	const png = samplePng(12, 6, [10, 20, 30], [200, 200, 200]);
	const logoKey = async () => (await world.pool.query(`select logo_key from public.sites where id = $1`, [world.sites.hub])).rows[0].logo_key as string | null;
	const dbOf = (persona: Persona) => <T>(fn: Parameters<typeof withUser<T>>[2]) => as(persona, fn);

	it('a site manager replaces the logo; the old file goes', async () => {
		expect(await replaceLogo({ db: dbOf('site_manager'), store, siteId: world.sites.hub, bytes: png })).toEqual({ ok: true });
		const first = await logoKey();
		expect(first).toMatch(new RegExp(`^logos/${world.sites.hub}/[0-9a-f-]{36}\\.png$`));
		expect(await replaceLogo({ db: dbOf('site_manager'), store, siteId: world.sites.hub, bytes: png })).toEqual({ ok: true });
		expect(await logoKey()).not.toBe(first);
		expect(await store.get(first!)).toBeNull();
		expect(await store.get((await logoKey())!)).toEqual(png);
	});

	it('anybody else is refused and leaves no file behind', async () => {
		const before = await logoKey();
		expect(await replaceLogo({ db: dbOf('csm'), store, siteId: world.sites.hub, bytes: png })).toEqual({ ok: false, error: 'forbidden' });
		expect(await logoKey()).toBe(before);
	});
});

describe('order history', () => {
	it('shows the order and its tasks, with reasons, to those the audit policy lets read', async () => {
		const { hub } = world.sites;
		const service = randomUUID();
		const vin = testVin();
		await world.pool.query(
			`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'WASH', 'Lavage', 'Wash', 'wash', 30)`,
			[service, hub]
		);
		await world.pool.query(`insert into public.prices (site_id, service_id, unit_price_cents, valid_from) values ($1, $2, 2500, '2020-01-01')`, [hub, service]);
		await world.pool.query(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, make, model, energy) values ($1, $2, $3, $4, 'Renault', 'Clio', 'petrol')`,
			[world.orgId, hub, world.clients.acme, vin]
		);
		const created = await as('csm', (sql) =>
			createOrder(sql, { siteId: hub, clientAccountId: world.clients.acme, deadline: '2030-01-31', vehicles: vin, serviceIds: [service] })
		);
		if (!created.ok) throw new Error('order not created');
		const { rows } = await world.pool.query<{ id: string; order_id: string }>(
			`select t.id, t.order_id from public.tasks t join public.orders o on o.id = t.order_id where o.reference = $1 and o.site_id = $2`,
			[created.reference, hub]
		);
		const [task] = rows;
		await as('site_manager', async (sql) => {
			await sql.query(`select set_config('relais.reason', 'Prix négocié', true)`);
			await sql.query(`update public.tasks set price_cents = 1900 where id = $1`, [task.id]);
		});

		const history = await as('csm', (sql) => orderHistory(sql, task.order_id, [task.id]));
		expect(history.map((e) => [e.tableName, e.op])).toEqual([
			['orders', 'insert'],
			['tasks', 'insert'],
			['tasks', 'update']
		]);
		expect(history[2]).toMatchObject({ actorName: 'site_manager', reason: 'Prix négocié', before: { price_cents: 2500 }, after: { price_cents: 1900 } });
		expect(await as('team_lead', (sql) => orderHistory(sql, task.order_id, [task.id]))).toEqual([]);
	});
});
