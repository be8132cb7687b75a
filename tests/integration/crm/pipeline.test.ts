import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools, withUser, type JwtClaims, type Sql } from '../../../src/lib/server/db/pool';
import { reassignLead } from '../../../src/lib/server/crm/leads';
import { CrmError, moveLead, readPipeline } from '../../../src/lib/server/crm/pipeline';
import { createQuote, readQuote, requestQuoteTransfer, setQuoteStatus } from '../../../src/lib/server/crm/quotes';
import { saleDocumentPdf } from '../../../src/lib/server/crm/sale-document';
import { pdfText } from '../../../src/lib/server/documents/pdf-text';
import { kpiSnapshot } from '../../../src/lib/server/kpi/queries';
import { diskStorage } from '../../../src/lib/server/storage';
import { TransferError } from '../../../src/lib/server/transfers/errors';
import { requestTransfer } from '../../../src/lib/server/transfers/service';
import { createWorld, testVin, type World } from '../world';

/**
 * The pipeline, quotes and sale documents as the people who use them, under row-level
 * security: the world's dealership CON-A (its `sales` persona) plus a second dealership CON-B
 * with its own sales person, and the stock of both.
 */
let world: World;
const store = diskStorage(mkdtempSync(join(tmpdir(), 'relais-sale-document-')));
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);
const people: Record<'salesA' | 'salesB' | 'managerA' | 'director', JwtClaims> = {} as never;
const as = <T>(who: keyof typeof people, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, people[who], fn);
let conB: string;
let conC: string;
let customer: string;
const SIRET_A = '11111111100011';
const SIRET_B = '22222222200022';

async function dealership(code: string, siret: string): Promise<string> {
	const id = randomUUID();
	await q(
		`insert into public.sites (id, organisation_id, code, name, kind, legal_name, siret, vat_number, share_capital_cents,
		   address_line, postcode, city, latitude, longitude)
		 values ($1, $2, $3, $3, 'dealership', $3 || ' Automobiles SAS', $4, 'FR99' || left($4, 9), 5000000, '2 avenue du Test', '38000', 'Grenoble', 45.2, 5.7)`,
		[id, world.orgId, code, siret]
	);
	return id;
}

async function member(role: string, site: string | null): Promise<JwtClaims> {
	const id = randomUUID();
	const email = `${role}.${id.slice(0, 8)}@test.relais`;
	await q(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await q('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, world.orgId, `${role} ${id.slice(0, 4)}`, email]);
	await q('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [world.orgId, id, site, role]);
	return { sub: id, role: 'authenticated', email };
}

async function vehicle(site: string, make: string, model: string, saleEur: number): Promise<string> {
	const { rows } = await q(
		`insert into public.vehicles (organisation_id, site_id, vin, plate, make, model, energy, status, purchase_price_cents, sale_price_cents, stocked_on)
		 values ($1, $2, $3, $4, $5, $6, 'petrol', 'in_stock', $7, $8, current_date - 10) returning id`,
		[world.orgId, site, testVin(), `AB-${Math.floor(100 + Math.random() * 900)}-CD`, make, model, saleEur * 80, saleEur * 100]
	);
	return rows[0].id;
}

async function lead(site: string, stage: string, valueEur: number, position: string, lostReason: string | null = null): Promise<string> {
	const { rows } = await q(
		`insert into public.leads (organisation_id, site_id, customer_id, source, stage, value_cents, position, lost_reason)
		 values ($1, $2, $3, 'manual', $4, $5, $6, $7) returning id`,
		[world.orgId, site, customer, stage, valueEur * 100, position, lostReason]
	);
	return rows[0].id;
}

const stageOf = async (id: string) => (await q(`select stage, lost_reason from public.leads where id = $1`, [id])).rows[0];

/** The CrmError (or TransferError) a call is refused with. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; errors: Record<string, string[]> }> {
	try {
		await p;
	} catch (err) {
		if (err instanceof CrmError || err instanceof TransferError) return { status: err.status, errors: err.errors };
		throw err;
	}
	throw new Error('expected a refusal');
}

afterAll(() => closePools());

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	await q(`update public.sites set siret = $2 where id = $1`, [world.sites.dealer, SIRET_A]);
	conB = await dealership('CON-B', SIRET_B);
	conC = await dealership('CON-C', '33333333300033');
	// Sales people read the group's stock: what lets them quote a vehicle of another site.
	await q(`update public.organisations set settings = '{"sales_see_group_stock": true}' where id = $1`, [world.orgId]);
	people.salesA = world.people.sales.claims;
	people.salesB = await member('sales', conB);
	people.managerA = await member('site_manager', world.sites.dealer);
	people.director = world.people.director.claims;
	const { rows } = await q(`insert into public.customers (organisation_id, first_name, last_name, email) values ($1, 'Léa', 'Martin', 'lea@example.test') returning id`, [
		world.orgId
	]);
	customer = rows[0].id;
});

describe('moving leads on the pipeline', () => {
	it('a sales person of the site moves a lead to another stage and within a column', async () => {
		const a = await lead(world.sites.dealer, 'new', 10_000, 'a0');
		const b = await lead(world.sites.dealer, 'contacted', 12_000, 'a0');
		const c = await lead(world.sites.dealer, 'contacted', 14_000, 'a1');
		// a goes between b and c.
		await as('salesA', (sql) => moveLead(sql, { leadId: a, stage: 'contacted', beforeId: b, afterId: c }, 'fr'));
		const { cards } = await as('salesA', (sql) => readPipeline(sql, [world.sites.dealer]));
		expect(cards.filter((card) => card.stage === 'contacted').map((card) => card.id)).toEqual([b, a, c]);
		expect(cards.find((card) => card.id === a)?.daysInStage).toBe(0);
		// The site's manager sees the same order.
		const seen = await as('managerA', (sql) => readPipeline(sql, [world.sites.dealer]));
		expect(seen.cards.filter((card) => card.stage === 'contacted').map((card) => card.id)).toEqual([b, a, c]);
	});

	it('renumbers a column whose positions are not valid keys (imported a10, a20) before placing the lead', async () => {
		const x = await lead(world.sites.dealer, 'test_drive', 1_000, 'a10');
		const y = await lead(world.sites.dealer, 'test_drive', 1_000, 'a20');
		const z = await lead(world.sites.dealer, 'new', 1_000, 'a5');
		await as('salesA', (sql) => moveLead(sql, { leadId: z, stage: 'test_drive', beforeId: x, afterId: y }, 'en'));
		const { cards } = await as('salesA', (sql) => readPipeline(sql, [world.sites.dealer]));
		expect(cards.filter((card) => card.stage === 'test_drive').map((card) => card.id)).toEqual([x, z, y]);
	});

	it('another site’s sales person can neither see nor move the lead', async () => {
		const a = await lead(world.sites.dealer, 'new', 10_000, 'a3');
		const { cards } = await as('salesB', (sql) => readPipeline(sql, [world.sites.dealer]));
		expect(cards.find((card) => card.id === a)).toBeUndefined();
		const refused = await refusal(as('salesB', (sql) => moveLead(sql, { leadId: a, stage: 'quote' }, 'en')));
		expect(refused.status).toBe(404);
		expect((await stageOf(a)).stage).toBe('new');
	});

	it('a lead is lost only with a reason, worded in the reader’s language', async () => {
		const a = await lead(world.sites.dealer, 'quote', 10_000, 'a4');
		const fr = await refusal(as('salesA', (sql) => moveLead(sql, { leadId: a, stage: 'lost', lostReason: '  ' }, 'fr')));
		expect(fr).toEqual({ status: 400, errors: { lostReason: ['Indiquez pourquoi la vente est perdue.'] } });
		const en = await refusal(as('salesA', (sql) => moveLead(sql, { leadId: a, stage: 'lost' }, 'en')));
		expect(en.errors.lostReason).toEqual(['Say why the sale was lost.']);
		expect((await stageOf(a)).stage).toBe('quote');
		await as('salesA', (sql) => moveLead(sql, { leadId: a, stage: 'lost', lostReason: 'Acheté ailleurs' }, 'fr'));
		expect(await stageOf(a)).toEqual({ stage: 'lost', lost_reason: 'Acheté ailleurs' });
		// Back in the pipeline, the reason goes.
		await as('salesA', (sql) => moveLead(sql, { leadId: a, stage: 'contacted' }, 'fr'));
		expect(await stageOf(a)).toEqual({ stage: 'contacted', lost_reason: null });
	});
});

describe('quotes and orders', () => {
	it('numbers quotes per organisation and year, and accepting one moves its lead to order', async () => {
		const car = await vehicle(world.sites.dealer, 'Peugeot', '308', 24_000);
		const a = await lead(world.sites.dealer, 'test_drive', 24_000, 'a6');
		const first = await as('salesA', (sql) => createQuote(sql, { leadId: a, vehicleId: car }, world.sites.dealer, 'fr'));
		const second = await as('salesA', (sql) => createQuote(sql, { leadId: a, vehicleId: car, priceCents: 2_300_000 }, world.sites.dealer, 'fr'));
		const year = new Date().getFullYear();
		expect(first.number).toBe(`DV-${year}-0001`);
		expect(second.number).toBe(`DV-${year}-0002`);
		// The price defaults to the vehicle's; quoting moves the lead to the quote stage.
		const quote = await as('salesA', (sql) => readQuote(sql, first.id));
		expect(quote).toMatchObject({ status: 'draft', priceCents: 2_400_000, sellingSiteId: world.sites.dealer, leadStage: 'quote' });

		await as('salesA', (sql) => setQuoteStatus(sql, { quoteId: first.id, status: 'sent' }, 'fr'));
		await as('salesA', (sql) => setQuoteStatus(sql, { quoteId: first.id, status: 'accepted' }, 'fr'));
		expect((await stageOf(a)).stage).toBe('order');
		expect((await as('salesA', (sql) => readQuote(sql, first.id)))?.status).toBe('accepted');
		// An accepted quote is final; another site's seller may not touch it.
		expect((await refusal(as('salesA', (sql) => setQuoteStatus(sql, { quoteId: first.id, status: 'declined' }, 'en')))).status).toBe(409);
		expect((await refusal(as('salesB', (sql) => setQuoteStatus(sql, { quoteId: second.id, status: 'sent' }, 'en')))).status).toBe(403);
	});

	it('quotes a vehicle of another site and requests its transfer to the selling site in one call', async () => {
		const car = await vehicle(conB, 'Renault', 'Austral', 31_000);
		// Without a quote, a sales person may not move another site's vehicle.
		const plain = await refusal(as('salesA', (sql) => requestTransfer(sql, { vehicleId: car, toSiteId: world.sites.dealer, reason: 'test' }, 'en')));
		expect(plain.status).toBe(403);

		const { id } = await as('salesA', (sql) => createQuote(sql, { customerId: customer, vehicleId: car }, world.sites.dealer, 'fr'));
		const before = await as('salesA', (sql) => readQuote(sql, id));
		expect(before?.vehicle).toMatchObject({ siteId: conB, siteCode: 'CON-B' });
		const { transferId } = await as('salesA', (sql) => requestQuoteTransfer(sql, id, 'fr'));
		const { rows } = await q(`select from_site_id, to_site_id, status, requested_by from public.transfers where id = $1`, [transferId]);
		expect(rows[0]).toEqual({ from_site_id: conB, to_site_id: world.sites.dealer, status: 'requested', requested_by: people.salesA.sub });
		const after = await as('salesA', (sql) => readQuote(sql, id));
		expect(after?.transfer).toEqual({ id: transferId, status: 'requested' });
		// Once is enough.
		expect((await refusal(as('salesA', (sql) => requestQuoteTransfer(sql, id, 'en')))).status).toBe(409);
		// The transfer's own rules still hold: the receiving site's manager approves it.
		await as('managerA', (sql) => sql.query(`update public.transfers set status = 'approved' where id = $1`, [transferId]));
		expect((await as('salesA', (sql) => readQuote(sql, id)))?.transfer?.status).toBe('approved');
	});
});

describe('sale documents', () => {
	it('carry the selling site’s legal details, not the vehicle site’s, and only for readers of the quote', async () => {
		const car = await vehicle(conB, 'Toyota', 'Yaris', 19_900);
		const { id, number } = await as('salesA', (sql) => createQuote(sql, { customerId: customer, vehicleId: car }, world.sites.dealer, 'fr'));
		const pdf = await as('salesA', (sql) => saleDocumentPdf(sql, store, id, 'fr'));
		expect(pdf?.fileName).toBe(`${number}.pdf`);
		const text = (await pdfText(pdf!.bytes)).replace(/\s+/g, ' ');
		expect(text).toContain('Devis');
		expect(text.replace(/\s/g, '')).toContain(SIRET_A);
		expect(text.replace(/\s/g, '')).not.toContain(SIRET_B);
		expect(text).toContain('Léa Martin');
		expect(text).toContain('Toyota Yaris');

		await as('salesA', (sql) => setQuoteStatus(sql, { quoteId: id, status: 'accepted' }, 'fr'));
		const order = await pdfText((await as('salesA', (sql) => saleDocumentPdf(sql, store, id, 'fr')))!.bytes);
		expect(order).toContain('Bon de commande');
		// Another organisation reads nothing, not even that the quote exists.
		expect(await withUser(world.pool, world.people.admin_other_org.claims, (sql) => saleDocumentPdf(sql, store, id, 'fr'))).toBeNull();
		expect(await withUser(world.pool, world.people.operator.claims, (sql) => saleDocumentPdf(sql, store, id, 'fr'))).toBeNull();
	});
});

describe('pipeline value KPI', () => {
	it('sums the open stages (new..order) per site, as computed by hand', async () => {
		// CON-C: 1 000 + 2 500 + 4 000 open; 9 000 delivered and 7 000 lost do not count.
		await lead(conC, 'new', 1_000, 'a0');
		await lead(conC, 'contacted', 2_500, 'a0');
		await lead(conC, 'order', 4_000, 'a0');
		await lead(conC, 'delivered', 9_000, 'a0');
		await lead(conC, 'lost', 7_000, 'a1', 'Prix');
		const period = { start: '2026-11-01', end: '2026-11-30' };
		const snapshot = await as('director', (sql) => kpiSnapshot(sql, period, conC));
		expect(snapshot.sites[0].values.pipeline_value_cents).toEqual({ openLeads: 3, valueCents: 750_000 });
		expect(snapshot.consolidated?.pipeline_value_cents).toEqual({ openLeads: 3, valueCents: 750_000 });
		// The pipeline page agrees.
		expect((await as('director', (sql) => readPipeline(sql, [conC]))).openValueCents).toBe(750_000);
		// A sales person reads no KPI at all.
		expect((await as('salesA', (sql) => kpiSnapshot(sql, period, null))).sites).toEqual([]);
	});
});

describe('handing a lead over by hand', () => {
	const notices = async (user: string) =>
		(await q(`select title, body, link from public.notifications where user_id = $1 and kind = 'lead_assigned' order by created_at`, [user])).rows;

	it('tells the person a manager hands a lead to, once, in their language; not a manager who takes it', async () => {
		const [english, french] = [await member('sales', world.sites.dealer), await member('sales', world.sites.dealer)];
		await q(`update public.profiles set locale = 'en' where id = $1`, [english.sub]);
		const id = await lead(world.sites.dealer, 'new', 0, 'a0');

		expect(await as('managerA', (sql) => reassignLead(sql, id, world.sites.dealer, english.sub))).toEqual({ ok: true });
		expect(await notices(english.sub)).toEqual([
			{ title: 'Lead handed to you: Léa Martin', body: expect.stringMatching(/^By site_manager \S+ — please get back to them quickly/), link: `/crm/leads?lead=${id}` }
		]);
		// Handed to the same person again: nothing new.
		await as('managerA', (sql) => reassignLead(sql, id, world.sites.dealer, english.sub));
		expect(await notices(english.sub)).toHaveLength(1);

		await as('managerA', (sql) => reassignLead(sql, id, world.sites.dealer, french.sub));
		expect(await notices(french.sub)).toEqual([
			{ title: 'Prospect confié : Léa Martin', body: expect.stringMatching(/^Par site_manager \S+ — recontactez-le rapidement/), link: `/crm/leads?lead=${id}` }
		]);

		// The manager takes it: nobody is told.
		const before = (await notices(people.managerA.sub)).length;
		expect(await as('managerA', (sql) => reassignLead(sql, id, world.sites.dealer, people.managerA.sub))).toEqual({ ok: true });
		expect(await notices(people.managerA.sub)).toHaveLength(before);
	});
});
