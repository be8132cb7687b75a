import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asAnon, closePools, withUser, type Sql } from '../../../src/lib/server/db/pool';
import { createWorld, personas, testVin, type Person, type Persona } from '../world';
import { actAs, attempt, isDenial, rolledBack, visible } from './executor';
import { createRlsFixture, type PlaceRows, type RlsFixture } from './fixture';
import { specs, sql, type Statement } from './tables';

/**
 * CRM access rules the matrix cannot express cell by cell: the public web form as anon,
 * margins per selling site, the purchase price's column grants, unassigned leads, what a
 * seller may write at another site, and who stamps a lead's first response.
 *
 * Sites: `dealer` (site A: the `sales` persona, plus a second salesperson and a manager made
 * here) and a second dealership B (fx.groupStock.dealer2Site, with its own salesperson and
 * manager). The organisation shares its group stock (fixture), not its margins.
 */

let fx: RlsFixture;
/** People made here: a colleague of `sales` at A, and a manager of A, a salesperson and a manager of B. */
let extra: Record<'salesA2' | 'managerA' | 'salesB' | 'managerB', Person>;

const crmTables = ['customers', 'customer_interactions', 'leads', 'lead_rules', 'lead_forms', 'quotes'] as const;

/** The matrix's new row of a CRM table at a place (tables.ts). */
function insertAt(table: (typeof crmTables)[number], rows: PlaceRows): Statement {
	const spec = specs[table];
	if (spec.kind === 'personal') throw new Error(`${table} is not a table of places`);
	return spec.insert(rows);
}

async function member(role: string, site: string): Promise<Person> {
	const { pool, orgId } = fx.world;
	const id = randomUUID();
	const email = `${role}.${id.slice(0, 8)}@test.relais`;
	await pool.query(`insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`, [id, email]);
	await pool.query('insert into public.profiles (id, organisation_id, full_name, email) values ($1, $2, $3, $4)', [id, orgId, role, email]);
	await pool.query('insert into public.memberships (organisation_id, user_id, site_id, role) values ($1, $2, $3, $4)', [orgId, id, site, role]);
	return { id, email, token: '', claims: { sub: id, role: 'authenticated', email } };
}

beforeAll(async () => {
	fx = await createRlsFixture(await createWorld(inject('databaseUrl')));
	const { dealer } = fx.siteIds;
	const siteB = fx.groupStock.dealer2Site;
	extra = {
		salesA2: await member('sales', dealer),
		managerA: await member('site_manager', dealer),
		salesB: await member('sales', siteB),
		managerB: await member('site_manager', siteB)
	};
});
afterAll(() => closePools());

const person = (who: Persona | keyof typeof extra): Person => (who in extra ? extra[who as keyof typeof extra] : fx.world.people[who as Persona]);
const owner = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => fx.world.pool.query<T>(text, values);

async function expectAttempt(who: Persona | keyof typeof extra, statement: Statement, allowed: boolean) {
	const outcome = await attempt(fx.world.pool, person(who), statement);
	const what = `${who}: ${statement.text.replace(/\s+/g, ' ')} → ${outcome.allowed ? 'allowed' : outcome.reason}`;
	expect(outcome.allowed, what).toBe(allowed);
}
const may = (who: Persona | keyof typeof extra, statement: Statement) => expectAttempt(who, statement, true);
const mayNot = (who: Persona | keyof typeof extra, statement: Statement) => expectAttempt(who, statement, false);

/** Runs `fn` as anon in a transaction rolled back whatever happens; returns its error code, if any. */
async function anonCode(fn: (tx: Sql) => Promise<unknown>): Promise<string | undefined> {
	try {
		await asAnon(fx.world.pool, async (tx) => {
			await fn(tx);
			throw Object.assign(new Error('rolled back on purpose'), { code: 'ok' });
		});
	} catch (err) {
		return (err as { code?: string }).code;
	}
	return undefined;
}

// ─── the public web form ────────────────────────────────────────────────────────────────────

describe('anon, the visitor of a public form', () => {
	it.each(crmTables)('cannot select from nor insert into %s directly', async (table) => {
		expect(await anonCode((tx) => tx.query(`select * from public.${table} limit 1`))).toBe('42501');
		const insert = insertAt(table, fx.at.dealer);
		expect(await anonCode((tx) => tx.query(insert.text, insert.values))).toBe('42501');
	});

	it('cannot read quote margins', async () => {
		expect(await anonCode((tx) => tx.query('select * from public.quote_margins limit 1'))).toBe('42501');
	});
});

describe('public.submit_web_lead', () => {
	/** What a submission could have written: the organisation's customers, leads and interactions. */
	const counts = async () => {
		const { rows } = await owner<{ customers: number; leads: number; interactions: number }>(
			`select (select count(*)::int from public.customers where organisation_id = $1) as customers,
			        (select count(*)::int from public.leads where organisation_id = $1) as leads,
			        (select count(*)::int from public.customer_interactions where organisation_id = $1) as interactions`,
			[fx.world.orgId]
		);
		return rows[0];
	};
	const submit = (key: string, email: string, vehicle: string | null = null) =>
		asAnon(fx.world.pool, (tx) =>
			tx.query<{ id: string }>(`select public.submit_web_lead($1, 'Lina', 'Morel', $2, null, '69003', 'Bonjour', $3) as id`, [key, email, vehicle])
		).then((r) => r.rows[0].id);
	const formKey = async (enabled: boolean) => {
		const { rows } = await owner<{ public_key: string }>(
			`insert into public.lead_forms (organisation_id, site_id, title, enabled) values ($1, $2, 'Essai', $3) returning public_key`,
			[fx.world.orgId, fx.siteIds.dealer, enabled]
		);
		return rows[0].public_key;
	};
	const lead = async (id: string) =>
		(
			await owner<{ site_id: string | null; form_site_id: string; requested_vehicle_id: string | null; value_cents: number; vehicle_id: string | null }>(
				`select l.site_id, l.form_site_id, l.requested_vehicle_id, l.value_cents, i.vehicle_id
				 from public.leads l join public.customer_interactions i on i.lead_id = l.id where l.id = $1`,
				[id]
			)
		).rows[0];

	it('with an unknown key, is refused and writes nothing', async () => {
		const before = await counts();
		await expect(submit(randomUUID().replaceAll('-', ''), 'unknown@test.relais')).rejects.toMatchObject({ code: 'P0002' });
		expect(await counts()).toEqual(before);
	});

	it('with the key of a disabled form, is refused and writes nothing; the form page shows nothing', async () => {
		const key = await formKey(false);
		const before = await counts();
		await expect(submit(key, 'disabled@test.relais')).rejects.toMatchObject({ code: 'P0002' });
		expect(await counts()).toEqual(before);
		const page = await asAnon(fx.world.pool, (tx) => tx.query('select * from public.lead_form_page($1)', [key]));
		expect(page.rows).toEqual([]);
	});

	it("with an enabled form, writes an unassigned lead from the form's site, for a vehicle of the group's stock", async () => {
		const key = await formKey(true);
		const vehicle = fx.at.dealer.vehicle;
		await owner('update public.vehicles set sale_price_cents = 1890000 where id = $1', [vehicle]);
		const before = await counts();
		const row = await lead(await submit(key, `lina.${randomUUID().slice(0, 6)}@test.relais`, vehicle));
		expect(row).toEqual({ site_id: null, form_site_id: fx.siteIds.dealer, requested_vehicle_id: vehicle, value_cents: 1890000, vehicle_id: vehicle });
		expect(await counts()).toEqual({ customers: before.customers + 1, leads: before.leads + 1, interactions: before.interactions + 1 });
	});

	it("does not attach another organisation's vehicle, nor a client's vehicle, named in the submission", async () => {
		const key = await formKey(true);
		for (const vehicle of [fx.groupStock.otherOrgVehicle, fx.at.hub.vehicle]) {
			await owner('update public.vehicles set sale_price_cents = 990000 where id = $1', [vehicle]);
			const row = await lead(await submit(key, `v.${randomUUID().slice(0, 6)}@test.relais`, vehicle));
			expect(row, vehicle).toMatchObject({ requested_vehicle_id: null, value_cents: 0, vehicle_id: null });
		}
	});
});

// ─── margins ────────────────────────────────────────────────────────────────────────────────

describe('quote margins', () => {
	/** Quotes sold by A (for A's vehicle and for B's) and by B, each with a known margin. */
	let q: { aOwn: string; aForB: string; b: string };
	const margin = { aOwn: 250_000, aForB: 150_000, b: 300_000 };

	beforeAll(async () => {
		const { orgId } = fx.world;
		const { siteIds } = fx;
		const siteB = fx.groupStock.dealer2Site;
		const stock = async (site: string, purchase: number) =>
			(
				await owner<{ id: string }>(
					`insert into public.vehicles (organisation_id, site_id, vin, make, model, energy, status, purchase_price_cents, sale_price_cents)
					 values ($1, $2, $3, 'Peugeot', '3008', 'hybrid', 'in_stock', $4::bigint, $4::bigint + 400000) returning id`,
					[orgId, site, testVin(), purchase]
				)
			).rows[0].id;
		const quote = async (selling: string, vehicle: string, price: number) =>
			(
				await owner<{ id: string }>(
					`insert into public.quotes (organisation_id, selling_site_id, customer_id, vehicle_id, number, price_cents)
					 values ($1, $2, $3, $4, $5, $6) returning id`,
					[orgId, selling, fx.at.dealer.crm.customer, vehicle, `M-${randomUUID().slice(0, 8)}`, price]
				)
			).rows[0].id;
		const vA = await stock(siteIds.dealer, 1_000_000);
		const vB = await stock(siteB, 1_100_000);
		q = {
			aOwn: await quote(siteIds.dealer, vA, 1_250_000),
			aForB: await quote(siteIds.dealer, vB, 1_250_000),
			b: await quote(siteB, vB, 1_400_000)
		};
	});

	const read = (tx: Sql) =>
		tx
			.query<{ id: string; margin_cents: number | null }>('select id, margin_cents from public.quote_margins where id = any($1::uuid[])', [Object.values(q)])
			.then(({ rows }) => Object.fromEntries(
					Object.entries(q).map(([k, id]) => {
						const row = rows.find((r) => r.id === id);
						return [k, row ? row.margin_cents : 'no row'];
					})
				)
			);
	const marginsSeenBy = (who: Persona | keyof typeof extra) => withUser(fx.world.pool, person(who).claims, read);
	const shown = (...keys: (keyof typeof q)[]) =>
		Object.fromEntries((Object.keys(margin) as (keyof typeof q)[]).map((k) => [k, keys.includes(k) ? margin[k] : null]));

	it('are hidden from sales people, at their own site too, while the organisation does not show margins to sales', async () => {
		expect(await marginsSeenBy('sales')).toEqual(shown());
		expect(await marginsSeenBy('salesB')).toEqual(shown());
	});

	it("with sales_see_margin, are shown to sales of the selling site only (never another site's)", async () => {
		const seen = await rolledBack(fx.world.pool, fx.world.people.admin, async (tx) => {
			await tx.query(`update public.organisations set settings = settings || '{"sales_see_margin": true}' where id = $1`, [fx.world.orgId]);
			await actAs(tx, fx.world.people.sales);
			return read(tx);
		});
		expect(seen).toEqual(shown('aOwn', 'aForB'));
	});

	it("are shown to managers of the selling site, whichever site's vehicle is sold, and never to another site's managers", async () => {
		expect(await marginsSeenBy('managerA')).toEqual(shown('aOwn', 'aForB'));
		expect(await marginsSeenBy('managerB')).toEqual(shown('b'));
	});

	it('are shown to the organisation-wide roles', async () => {
		expect(await marginsSeenBy('director')).toEqual(shown('aOwn', 'aForB', 'b'));
		expect(await marginsSeenBy('admin')).toEqual(shown('aOwn', 'aForB', 'b'));
	});

	it('show nobody outside the CRM a quote', async () => {
		const none = { aOwn: 'no row', aForB: 'no row', b: 'no row' };
		// The hub's manager included: a logistics hub sells nothing (private.works_crm).
		for (const who of ['operator', 'csm', 'site_manager', 'client', 'driver', 'admin_other_org'] as const)
			expect(await marginsSeenBy(who), who).toEqual(none);
	});

	it("sales cannot read a vehicle's purchase price from the table (column grants)", async () => {
		const { pool } = fx.world;
		const vehicle = fx.at.dealer.vehicle;
		const tryRead = (columns: string) =>
			withUser(pool, person('sales').claims, (tx) => tx.query(`select ${columns} from public.vehicles where id = $1`, [vehicle])).then(
				() => 'read',
				(err) => (isDenial(err) ? 'denied' : String(err))
			);
		expect(await tryRead('purchase_price_cents')).toBe('denied');
		expect(await tryRead('*')).toBe('denied');
		expect(await tryRead('id, sale_price_cents')).toBe('read');
	});
});

// ─── leads ──────────────────────────────────────────────────────────────────────────────────

describe('unassigned leads', () => {
	let unassigned: string;
	beforeAll(async () => {
		const { rows } = await owner<{ id: string }>(
			`insert into public.leads (organisation_id, site_id, customer_id, source, form_site_id) values ($1, null, $2, 'web_form', $3) returning id`,
			[fx.world.orgId, fx.at.dealer.crm.customer, fx.siteIds.dealer]
		);
		unassigned = rows[0].id;
	});

	it('are visible only to directors and admins, not even to the sellers of the form’s site', async () => {
		const readers: string[] = [];
		for (const who of [...personas, 'salesA2', 'managerA'] as const) {
			if ((await visible(fx.world.pool, person(who), 'leads', 'id', [unassigned])).has(unassigned)) readers.push(who);
		}
		expect(readers).toEqual(['director', 'admin']);
	});

	it('are assigned by directors and admins only', async () => {
		const assign = sql(`update public.leads set site_id = $2 where id = $1`, unassigned, fx.siteIds.dealer);
		await mayNot('sales', assign);
		await mayNot('managerA', assign);
		await may('director', assign);
		await may('admin', assign);
	});
});

describe('what a seller writes stays at their sites', () => {
	it("sales read the hub's customer, history and quote, but record, quote and enter leads at their own site only", async () => {
		const { hub, dealer } = fx.at;
		for (const [table, id] of [
			['customers', hub.crm.customer],
			['customer_interactions', hub.crm.interaction],
			['quotes', hub.crm.quote]
		] as const) {
			expect((await visible(fx.world.pool, person('sales'), table, 'id', [id])).has(id), table).toBe(true);
		}
		for (const table of ['customer_interactions', 'leads', 'quotes'] as const) {
			await mayNot('sales', insertAt(table, hub));
			await may('sales', insertAt(table, dealer));
		}
		await mayNot('sales', sql(`update public.quotes set price_cents = price_cents + 1 where id = $1`, hub.crm.quote));
		await mayNot('sales', sql(`update public.customer_interactions set note = 'edited' where id = $1`, dealer.crm.interaction));
	});

	it("a site manager keeps their site's rules and forms, not another site's nor the organisation's", async () => {
		const { hub, dealer } = fx.at;
		const orgRule = sql(`insert into public.lead_rules (organisation_id, site_id, position, kind) values ($1, null, 9, 'round_robin')`, fx.world.orgId);
		await may('managerA', sql(`update public.lead_rules set enabled = false where id = $1`, dealer.crm.leadRule));
		await may('managerA', sql(`update public.lead_forms set enabled = false where id = $1`, dealer.crm.leadForm));
		await mayNot('managerB', sql(`update public.lead_rules set enabled = false where id = $1`, dealer.crm.leadRule));
		await mayNot('managerB', sql(`update public.lead_forms set enabled = false where id = $1`, dealer.crm.leadForm));
		// A hub sells nothing: its manager keeps no rule nor form, not even the hub's own.
		await mayNot('site_manager', sql(`update public.lead_rules set enabled = false where id = $1`, hub.crm.leadRule));
		await mayNot('site_manager', sql(`update public.lead_forms set enabled = false where id = $1`, dealer.crm.leadForm));
		await mayNot('site_manager', orgRule);
		await mayNot('managerA', orgRule);
		await may('director', orgRule);
	});

	// A delete cascades to the customer's leads, history and quotes, past the policies of those
	// tables: only someone who manages every site concerned may delete (or merge) a customer.
	it("a site manager cannot delete another site's leads, history and quotes by deleting their customer; a director can", async () => {
		const { customer } = fx.at.dealer.crm;
		// Besides its rows at the dealer (and a quote from B), the customer has a web lead still
		// unassigned, which directors and admins read and assign: it does not stop them.
		await owner(`insert into public.leads (organisation_id, site_id, customer_id, source, form_site_id) values ($1, null, $2, 'web_form', $3)`, [
			fx.world.orgId,
			customer,
			fx.siteIds.dealer
		]);
		const drop = sql(`delete from public.customers where id = $1`, customer);
		await mayNot('managerB', drop);
		await mayNot('site_manager', drop);
		await may('director', drop);
		await may('admin', drop);
	});

	// The assignee's user room hears of the lead (realtime), and the fastest-responder rule ranks them.
	it('a lead is assigned only to someone who works the leads of its site', async () => {
		const { lead } = fx.at.dealer.crm;
		const assign = (to: string) => sql(`update public.leads set assigned_to = $2 where id = $1`, lead, to);
		await may('sales', assign(extra.salesA2.id));
		await mayNot('sales', assign(extra.salesB.id));
		await mayNot('sales', assign(fx.world.people.operator.id));
		await mayNot('sales', assign(fx.world.people.admin_other_org.id));
	});
});

describe("a lead's first response", () => {
	let lead: string;
	beforeAll(async () => {
		const { rows } = await owner<{ id: string }>(
			`insert into public.leads (organisation_id, site_id, customer_id, source, assigned_to, assigned_at)
			 values ($1, $2, $3, 'web_form', $4, now() - interval '20 minutes') returning id`,
			[fx.world.orgId, fx.siteIds.dealer, fx.at.dealer.crm.customer, fx.world.people.sales.id]
		);
		lead = rows[0].id;
	});

	/**
	 * Runs the statements as `who` in a transaction rolled back after, and returns the lead's
	 * stamp. A statement refused (by a policy, or a trigger raising) writes nothing and counts.
	 */
	const stampAfter = (who: Persona | keyof typeof extra, ...statements: Statement[]) =>
		rolledBack(fx.world.pool, person(who), async (tx) => {
			for (const s of statements) {
				await tx.query('savepoint attempt');
				await tx.query(s.text, s.values).catch(async (err) => {
					if (!isDenial(err) && (err as { code?: string }).code !== 'P0001') throw err;
					await tx.query('rollback to savepoint attempt');
				});
			}
			const { rows } = await tx.query<{ first_response_at: Date | null }>('select first_response_at from public.leads where id = $1', [lead]);
			return rows[0].first_response_at;
		});
	const moveLead = () => sql(`update public.leads set stage = 'contacted' where id = $1`, lead);
	/** An interaction about the lead at 10:00, recorded by the signed-in person unless `by` names someone. */
	const interaction = (kind: string, by: string | null = null) =>
		sql(
			`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, lead_id, occurred_at, by_user_id)
			 values ($1, $2, $3, $4, $5, '2026-12-03T10:00:00Z', coalesce($6::uuid, auth.uid()))`,
			fx.world.orgId,
			fx.at.dealer.crm.customer,
			fx.siteIds.dealer,
			kind,
			lead,
			by
		);

	it("is stamped when the assignee moves the lead on, not when a colleague or a manager does", async () => {
		expect(await stampAfter('sales', moveLead())).toBeInstanceOf(Date);
		expect(await stampAfter('salesA2', moveLead())).toBeNull();
		expect(await stampAfter('managerA', moveLead())).toBeNull();
		expect(await stampAfter('director', moveLead())).toBeNull();
	});

	it('is stamped at the time of an interaction the assignee records, not a colleague’s nor the web form’s', async () => {
		expect(await stampAfter('sales', interaction('call'))).toEqual(new Date('2026-12-03T10:00:00Z'));
		expect(await stampAfter('salesA2', interaction('call'))).toBeNull();
		expect(await stampAfter('sales', interaction('web_form'))).toBeNull();
	});

	it("cannot be stamped by a colleague recording an interaction in the assignee's name", async () => {
		expect(await stampAfter('salesA2', interaction('call', fx.world.people.sales.id))).toBeNull();
	});

	it('cannot be written directly, by the assignee nor by a manager', async () => {
		const stamp = sql(`update public.leads set first_response_at = now() where id = $1`, lead);
		expect(await stampAfter('sales', stamp)).toBeNull();
		expect(await stampAfter('managerA', stamp)).toBeNull();
	});

	it('starts over when the lead is handed to someone else', async () => {
		const handOver = sql(`update public.leads set assigned_to = $2 where id = $1`, lead, extra.salesA2.id);
		expect(await stampAfter('sales', moveLead())).toBeInstanceOf(Date);
		expect(await stampAfter('sales', moveLead(), handOver)).toBeNull();
	});
});
