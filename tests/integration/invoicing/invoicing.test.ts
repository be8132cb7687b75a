import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { withUser, type Sql } from '../../../src/lib/server/db/pool';
import { diskStorage } from '../../../src/lib/server/storage';
import { invoiceTotals } from '../../../src/lib/domain/invoicing/totals';
import { addLine, removeLine, restoreLine, setDiscount } from '../../../src/lib/server/invoicing/drafts';
import { InvoiceError } from '../../../src/lib/server/invoicing/errors';
import { createCreditNote, issueInvoice, markInvoice } from '../../../src/lib/server/invoicing/issue';
import { invoiceDetail, validateTasks } from '../../../src/lib/server/invoicing/queries';
import { runBilling } from '../../../src/lib/server/invoicing/run';
import { pdfText } from '../../../src/lib/server/documents/pdf-text';
import { openThread } from '../../../src/lib/server/threads/service';
import { notifyInvoiceIssued } from '../../../src/lib/server/notify/events';
import { axonautAdapter } from '../../../src/lib/server/accounting/axonaut';
import { startFakeAxonaut } from '../../../src/lib/server/accounting/fake-axonaut';
import { exportDue, markOverdue, scheduledBilling } from '../../../src/lib/server/invoicing/jobs';
import { createWorld, testVin, type Persona, type World } from '../world';

let world: World;
const store = diskStorage(mkdtempSync(join(tmpdir(), 'relais-invoicing-')));
const october = { start: '2026-10-01', end: '2026-10-31' };
const services = { wash: randomUUID(), storage: randomUUID() };
let orderId: string;

const as = <T>(who: Persona, fn: (sql: Sql) => Promise<T>) => withUser(world.pool, world.people[who].claims, fn);
const q = (text: string, values: unknown[] = []) => world.pool.query(text, values);

/** `count` done tasks for Acme at the hub (wash at 20 % VAT, storage at 10 %), completed in October. */
async function doneTasks(count: number, completedAt = '2026-10-15 10:00+02'): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const { rows } = await q(
			`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
			 values ($1, $2, $3, $4, $5, 'Peugeot', '208', 'diesel') returning id`,
			[world.orgId, world.sites.hub, world.clients.acme, testVin(), `AA-${String(100 + (ids.length % 900)).padStart(3, '0')}-ZZ`]
		);
		const service = i % 3 === 2 ? services.storage : services.wash;
		const task = await q(
			`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents, status, completed_at)
			 values ($1, $2, $3, $4, $5, 30, $6, 'done', $7) returning id`,
			[world.sites.hub, world.clients.acme, orderId, rows[0].id, service, service === services.wash ? 1999 : 333, completedAt]
		);
		ids.push(task.rows[0].id);
	}
	return ids;
}

async function draftOf(account = world.clients.acme): Promise<string> {
	const { rows } = await q(`select id from public.invoices where client_account_id = $1 and status = 'draft' and kind = 'invoice' and period_start = $2`, [
		account,
		october.start
	]);
	return rows[0].id;
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	await q(
		`insert into public.services (id, site_id, code, name_fr, name_en, zone_kind, default_minutes, vat_rate_bp)
		 values ($1, $3, 'WASH', 'Lavage', 'Wash', 'wash', 30, 2000), ($2, $3, 'STORE', 'Gardiennage', 'Storage', 'parking', 30, 1000)`,
		[services.wash, services.storage, world.sites.hub]
	);
	const order = await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, 'CMD-INV-1', '2026-10-31') returning id`, [
		world.sites.hub,
		world.clients.acme
	]);
	orderId = order.rows[0].id;
});

describe('validation', () => {
	it('lets billing staff validate done tasks, and nobody else', async () => {
		const [task] = await doneTasks(1);
		await expect(as('operator', (sql) => validateTasks(sql, [task]))).rejects.toMatchObject({ code: '42501' });
		expect(await as('csm', (sql) => validateTasks(sql, [task]))).toBe(1);
		const { rows } = await q(`select status, validated_by from public.tasks where id = $1`, [task]);
		expect(rows[0]).toEqual({ status: 'validated', validated_by: world.people.csm.id });
	});
});

describe('the monthly run', () => {
	it('bills each validated task exactly once even when two runs race', async () => {
		const tasks = await doneTasks(30);
		await as('csm', (sql) => validateTasks(sql, tasks));
		const hub = [world.sites.hub];
		const [a, b] = await Promise.all([
			as('csm', (sql) => runBilling(sql, october, hub)),
			as('site_manager', (sql) => runBilling(sql, october, hub))
		]);
		// Both runs found work or waited for the other; together they billed every task once.
		expect(a.lines + b.lines).toBe(31);
		const { rows } = await q(
			`select count(*)::int as lines, count(distinct task_id)::int as tasks, count(distinct invoice_id)::int as invoices
			 from public.invoice_lines where site_id = $1`,
			[world.sites.hub]
		);
		expect(rows[0]).toEqual({ lines: 31, tasks: 31, invoices: 1 });
		expect(await as('csm', (sql) => runBilling(sql, october, hub))).toEqual({ invoices: 0, lines: 0 });
	});

	it('refuses, in the database, a second line for a billed task', async () => {
		const { rows } = await q(`select task_id, invoice_id from public.invoice_lines where task_id is not null limit 1`);
		await expect(
			q(`insert into public.invoice_lines (invoice_id, site_id, client_account_id, task_id, description, unit_price_cents, vat_rate_bp) values ($1, $2, $3, $4, 'again', 1, 2000)`, [
				rows[0].invoice_id,
				world.sites.hub,
				world.clients.acme,
				rows[0].task_id
			])
		).rejects.toMatchObject({ code: '23505' });
	});

	it('keeps totals with VAT rounded once per rate, as the screens compute them', async () => {
		const id = await draftOf();
		const detail = await as('csm', (sql) => invoiceDetail(sql, id));
		const expected = invoiceTotals(detail!.lines.map((l) => ({ ...l, removed: l.removedReason !== null })));
		expect({ net: detail!.netCents, vat: detail!.vatCents, gross: detail!.grossCents }).toEqual({
			net: expected.netCents,
			vat: expected.vatCents,
			gross: expected.grossCents
		});
		// 21 washes at 19.99 € and 10 storages at 3.33 € (tasks 1–31, every third is storage).
		expect(expected.vat).toEqual([
			{ rateBp: 2000, baseCents: 21 * 1999, vatCents: Math.round(21 * 1999 * 0.2) },
			{ rateBp: 1000, baseCents: 10 * 333, vatCents: 333 }
		]);
	});

	it('does not let a billed task be un-validated or repriced', async () => {
		const { rows } = await q(`select task_id from public.invoice_lines where task_id is not null limit 1`);
		await expect(q(`update public.tasks set status = 'done' where id = $1`, [rows[0].task_id])).rejects.toThrow(/credit note/);
		await expect(q(`update public.tasks set price_cents = 1 where id = $1`, [rows[0].task_id])).rejects.toThrow(/credit note/);
	});
});

describe('drafts', () => {
	it('removes a billed line with a reason, restores it, and records both in the audit trail', async () => {
		const id = await draftOf();
		const before = (await as('csm', (sql) => invoiceDetail(sql, id)))!;
		const line = before.lines[0];
		await as('csm', (sql) => removeLine(sql, id, { lineId: line.id, reason: 'Lavage offert' }, 'fr'));
		const after = (await as('csm', (sql) => invoiceDetail(sql, id)))!;
		expect(after.netCents).toBe(before.netCents - line.netCents);
		expect(after.lines.find((l) => l.id === line.id)?.removedReason).toBe('Lavage offert');
		const audit = await q(`select actor_id, reason, old_row, new_row from public.audit_log where table_name = 'invoice_lines' and row_id = $1`, [line.id]);
		expect(audit.rows[0]).toMatchObject({ actor_id: world.people.csm.id, reason: 'Lavage offert', old_row: { removed_reason: null } });
		// Only the columns that changed are recorded.
		expect(Object.keys(audit.rows[0].new_row).sort()).toEqual(['removed_at', 'removed_by', 'removed_reason']);
		await as('csm', (sql) => restoreLine(sql, id, line.id));
		expect((await as('csm', (sql) => invoiceDetail(sql, id)))!.netCents).toBe(before.netCents);
	});

	it('answers bad input field by field, in the reader language, and writes nothing', async () => {
		const id = await draftOf();
		const err = await as('csm', (sql) => addLine(sql, id, { description: '', quantity: 0, unitPriceCents: -1, vatRateBp: 2000, reason: '' }, 'fr')).catch((e) => e);
		expect(err).toBeInstanceOf(InvoiceError);
		expect(Object.keys(err.errors).sort()).toEqual(['description', 'quantity', 'reason', 'unitPriceCents']);
		expect(err.errors.quantity[0]).toMatch(/trop petit|doit être/i);
		const discount = await as('csm', async (sql) => {
			const line = (await invoiceDetail(sql, id))!.lines[0];
			return setDiscount(sql, id, { lineId: line.id, discountCents: line.unitPriceCents + 1, reason: 'geste' }, 'en').catch((e) => e);
		});
		expect(discount.errors.discountCents).toEqual(['The discount exceeds the line amount.']);
	});

	it('hides drafts from clients and from other accounts', async () => {
		const id = await draftOf();
		expect(await as('client', (sql) => invoiceDetail(sql, id))).toBeNull();
		expect(await as('operator', (sql) => invoiceDetail(sql, id))).toBeNull();
		expect(await as('director', (sql) => invoiceDetail(sql, id))).not.toBeNull();
	});
});

describe('issuing', () => {
	let invoiceId: string;
	let number: string;

	it('numbers without gaps: a rolled-back issue gives its number back', async () => {
		invoiceId = await draftOf();
		await expect(
			as('csm', async (sql) => {
				await issueInvoice(sql, invoiceId, { store, exportToAccounting: false });
				throw new Error('crash after issuing');
			})
		).rejects.toThrow('crash after issuing');
		({ number } = await as('csm', (sql) => issueInvoice(sql, invoiceId, { store, exportToAccounting: false })));
		expect(number).toBe(`F-HUB-A-${new Date().getFullYear()}-00001`);
	});

	it('never lets anyone pick a number or a date: the database numbers what is issued', async () => {
		const tasks = await doneTasks(1, '2026-05-05 10:00+02');
		await as('csm', (sql) => validateTasks(sql, tasks));
		await as('csm', (sql) => runBilling(sql, { start: '2026-05-01', end: '2026-05-31' }, [world.sites.hub]));
		const { rows } = await q(`select id from public.invoices where period_start = '2026-05-01' and site_id = $1`, [world.sites.hub]);
		const forged = await as('csm', (sql) =>
			sql.query(`update public.invoices set number = 'F-HUB-A-2026-99999', issued_on = '2020-01-01' where id = $1 returning number, issued_on`, [rows[0].id])
		);
		expect(forged.rows[0]).toEqual({ number: null, issued_on: null });
		const issued = await as('csm', (sql) =>
			sql.query(`update public.invoices set status = 'issued', number = 'F-HUB-A-2026-99999' where id = $1 returning number`, [rows[0].id])
		);
		expect(issued.rows[0].number).toBe(`F-HUB-A-${new Date().getFullYear()}-00002`);
	});

	it('keeps the series out of reach: only billing staff take a number, only the service marks overdue', async () => {
		const counter = () => q(`select coalesce(sum(last_number), 0)::int as n from public.invoice_counters where site_id = $1`, [world.sites.hub]);
		const before = (await counter()).rows[0].n;
		await expect(
			as('operator', (sql) => sql.query(`select private.next_invoice_number($1, 'invoice', 2026)`, [world.sites.hub]))
		).rejects.toMatchObject({ code: '42501' });
		await expect(as('csm', (sql) => sql.query(`select private.mark_overdue_invoices(current_date + 365)`))).rejects.toMatchObject({
			code: '42501'
		});
		expect((await counter()).rows[0].n).toBe(before);
	});

	it('files a PDF carrying the site legal details and the lines, readable by the client', async () => {
		const detail = (await as('client', (sql) => invoiceDetail(sql, invoiceId)))!;
		expect(detail.status).toBe('issued');
		const { rows } = await as('client', (sql) => sql.query(`select storage_key from public.documents where id = $1`, [detail.documentId]));
		const text = await pdfText((await store.get(rows[0].storage_key))!);
		expect(text).toContain(number);
		expect(text).toContain('HUB-A SAS');
		expect(text).toContain('12345678900011');
		expect(text).toMatch(/AA-\d{3}-ZZ/);
		expect(await as('client_other_account', (sql) => invoiceDetail(sql, invoiceId))).toBeNull();
	});

	it('tells the account\'s client users of the new invoice, and nobody else', async () => {
		await notifyInvoiceIssued(world.pool, { invoiceId });
		const { rows } = await q(`select user_id, title from public.notifications where kind = 'invoice_issued' and subject_id = $1`, [invoiceId]);
		expect(rows.map((r) => r.user_id)).toEqual([world.people.client.id]);
		expect(rows[0].title).toContain(number);
	});

	it('lets the client ask about a line of the issued invoice, and nobody of another account', async () => {
		const line = (await as('client', (sql) => invoiceDetail(sql, invoiceId)))!.lines[0];
		const ask = (who: Persona) =>
			as(who, (sql) =>
				openThread(sql, { id: world.people[who].id, staff: false }, { subjectType: 'invoice_line', subjectId: line.id, title: 'Ligne', body: 'Pourquoi ?', files: [] }, 'fr', store)
			);
		const posted = await ask('client');
		expect(posted.clientAccountId).toBe(world.clients.acme);
		await expect(ask('client_other_account')).rejects.toMatchObject({ status: 404 });
	});

	it('rejects every edit of an issued invoice, even from the superuser', async () => {
		await expect(q(`update public.invoices set net_cents = 1 where id = $1`, [invoiceId])).rejects.toMatchObject({ code: '55000' });
		await expect(q(`update public.invoices set notes = 'x' where id = $1`, [invoiceId])).rejects.toMatchObject({ code: '55000' });
		await expect(q(`update public.invoice_lines set unit_price_cents = 1 where invoice_id = $1`, [invoiceId])).rejects.toMatchObject({ code: '55000' });
		await expect(q(`delete from public.invoice_lines where invoice_id = $1`, [invoiceId])).rejects.toMatchObject({ code: '55000' });
		await expect(q(`delete from public.invoices where id = $1`, [invoiceId])).rejects.toMatchObject({ code: '55000' });
		const err = await as('csm', (sql) => removeLine(sql, invoiceId, { lineId: randomUUID(), reason: 'trop tard' }, 'fr')).catch((e) => e);
		expect(err).toMatchObject({ status: 409, code: 'frozen' });
	});

	it('moves forward only: sent, paid; never back', async () => {
		await as('csm', (sql) => markInvoice(sql, invoiceId, 'sent'));
		await as('csm', (sql) => markInvoice(sql, invoiceId, 'paid'));
		const err = await as('csm', (sql) => markInvoice(sql, invoiceId, 'sent')).catch((e) => e);
		expect(err).toMatchObject({ status: 409 });
	});

	it('credits lines with exact arithmetic, each line once', async () => {
		const invoice = (await as('csm', (sql) => invoiceDetail(sql, invoiceId)))!;
		const live = invoice.lines.filter((l) => l.removedReason === null);
		const wash = live.find((l) => l.vatRateBp === 2000)!;
		const partial = await as('csm', (sql) => createCreditNote(sql, invoiceId, { lineIds: [wash.id], reason: 'Lavage refait' }, 'fr'));
		const note = (await as('csm', (sql) => invoiceDetail(sql, partial)))!;
		expect({ net: note.netCents, vat: note.vatCents, gross: note.grossCents }).toEqual({ net: 1999, vat: 400, gross: 2399 });
		const again = await as('csm', (sql) => createCreditNote(sql, invoiceId, { lineIds: [wash.id], reason: 'encore' }, 'fr')).catch((e) => e);
		expect(again).toMatchObject({ status: 409 });

		const rest = live.filter((l) => l.id !== wash.id).map((l) => l.id);
		const full = await as('csm', (sql) => createCreditNote(sql, invoiceId, { lineIds: rest, reason: 'Annulation' }, 'fr'));
		const second = (await as('csm', (sql) => invoiceDetail(sql, full)))!;
		// The two credit notes together give back the invoice's net exactly; VAT within one cent per rate.
		expect(note.netCents + second.netCents).toBe(invoice.netCents);
		expect(Math.abs(note.vatCents + second.vatCents - invoice.vatCents)).toBeLessThanOrEqual(1);
		const issued = await as('csm', (sql) => issueInvoice(sql, partial, { store, exportToAccounting: false }));
		expect(issued.number).toBe(`AV-HUB-A-${new Date().getFullYear()}-00001`);
	});

	it('marks unpaid invoices past their due date overdue, and tells the client and billing staff', async () => {
		const tasks = await doneTasks(2, '2026-09-10 10:00+02');
		await as('csm', (sql) => validateTasks(sql, tasks));
		const september = { start: '2026-09-01', end: '2026-09-30' };
		await as('csm', (sql) => runBilling(sql, september, [world.sites.hub]));
		const { rows } = await q(`select id from public.invoices where period_start = '2026-09-01' and site_id = $1`, [world.sites.hub]);
		const { number: late } = await as('csm', (sql) => issueInvoice(sql, rows[0].id, { store, exportToAccounting: false }));
		const in60Days = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
		const moved = await markOverdue(world.pool, in60Days);
		expect(moved).toContain(rows[0].id);
		expect(moved).not.toContain(invoiceId); // paid
		expect(await markOverdue(world.pool, in60Days)).not.toContain(rows[0].id); // once
		const told = await q(`select user_id from public.notifications where kind = 'invoice_overdue' and subject_id = $1`, [rows[0].id]);
		const recipients = told.rows.map((r) => r.user_id);
		expect(recipients).toEqual(expect.arrayContaining([world.people.client.id, world.people.csm.id, world.people.site_manager.id]));
		expect(recipients).not.toContain(world.people.client_other_account.id);
		expect(recipients).not.toContain(world.people.operator.id);
		const title = await as('client', (sql) => sql.query(`select title from public.notifications where subject_id = $1`, [rows[0].id]));
		expect(title.rows[0].title).toContain(late);
	});
});

describe('the scheduled run', () => {
	it('bills last month on every site in the first days of a month, and only then', async () => {
		const tasks = await doneTasks(2, '2026-07-20 09:00+02');
		await as('csm', (sql) => validateTasks(sql, tasks));
		expect(await scheduledBilling(world.pool, '2026-08-12')).toEqual({ invoices: 0, lines: 0 });
		const ran = await scheduledBilling(world.pool, '2026-08-01');
		expect(ran.lines).toBeGreaterThanOrEqual(2);
		const { rows } = await q(
			`select i.period_start::text as start, i.created_by from public.invoice_lines l join public.invoices i on i.id = l.invoice_id where l.task_id = any ($1::uuid[])`,
			[tasks]
		);
		expect(rows).toEqual([
			{ start: '2026-07-01', created_by: null },
			{ start: '2026-07-01', created_by: null }
		]);
		expect((await scheduledBilling(world.pool, '2026-08-02')).lines).toBe(0);
	});
});

describe('the accounting export', () => {
	it('sends an issued invoice to Axonaut once, retrying after a failure', async () => {
		const axonaut = await startFakeAxonaut();
		try {
			const adapter = axonautAdapter({ baseUrl: axonaut.url, apiKey: axonaut.apiKey, sleep: async () => {}, maxAttempts: 1 });
			const tasks = await doneTasks(3, '2026-08-20 09:00+02');
			await as('csm', (sql) => validateTasks(sql, tasks));
			await as('csm', (sql) => runBilling(sql, { start: '2026-08-01', end: '2026-08-31' }, [world.sites.hub]));
			const { rows } = await q(`select id from public.invoices where period_start = '2026-08-01' and site_id = $1`, [world.sites.hub]);
			const { number } = await as('csm', (sql) => issueInvoice(sql, rows[0].id, { store, exportToAccounting: true }));

			// The tool answers 500 (the adapter's own retries are off here): the attempt is
			// recorded and pushed back.
			axonaut.failNext(1, 500);
			const logs: string[] = [];
			expect(await exportDue(world.pool, adapter, (l) => logs.push(l))).toBe(0);
			const failed = await q(`select export_status, export_attempts, export_error, export_next_at > now() as later from public.invoices where id = $1`, [rows[0].id]);
			expect(failed.rows[0]).toMatchObject({ export_status: 'pending', export_attempts: 1, later: true });
			expect(failed.rows[0].export_error).toMatch(/500/);
			expect(logs[0]).toContain(number);

			// Due again, the tool is back: one invoice on the other side, its id recorded here.
			await q(`update public.invoices set export_next_at = now() where id = $1`, [rows[0].id]);
			expect(await exportDue(world.pool, adapter)).toBe(1);
			expect(await exportDue(world.pool, adapter)).toBe(0);
			const done = await q(`select export_status, remote_id from public.invoices where id = $1`, [rows[0].id]);
			expect(done.rows[0].export_status).toBe('exported');
			expect(axonaut.invoices).toHaveLength(1);
			expect(String(axonaut.invoices[0].id)).toBe(done.rows[0].remote_id);
			expect(axonaut.companies.map((c) => c.name)).toEqual(['Acme']);
		} finally {
			await axonaut.close();
		}
	});
});

describe('the audit trail', () => {
	it('records who changed what through the app and through raw SQL as the user', async () => {
		const [task] = await doneTasks(1);
		await as('site_manager', async (sql) => {
			await sql.query(`select set_config('relais.reason', 'relu par le responsable', true)`);
			await sql.query(`update public.tasks set comment = 'vérifié' where id = $1`, [task]);
		});
		const { rows } = await q(
			`select actor_id, reason, old_row, new_row from public.audit_log where table_name = 'tasks' and row_id = $1 and op = 'update'`,
			[task]
		);
		expect(rows).toEqual([{ actor_id: world.people.site_manager.id, reason: 'relu par le responsable', old_row: { comment: null }, new_row: { comment: 'vérifié' } }]);
		await as('csm', (sql) => validateTasks(sql, [task]));
		const validated = await q(`select actor_id, new_row from public.audit_log where table_name = 'tasks' and row_id = $1 order by id desc limit 1`, [task]);
		expect(validated.rows[0].actor_id).toBe(world.people.csm.id);
		expect(validated.rows[0].new_row.status).toBe('validated');
	});

	it('cannot be altered by anyone: people, the service role or the owner', async () => {
		const { rows } = await q(`select id from public.audit_log where site_id = $1 limit 1`, [world.sites.hub]);
		const id = rows[0].id;
		await expect(q(`update public.audit_log set reason = 'forged' where id = $1`, [id])).rejects.toThrow(/append-only/);
		await expect(q(`delete from public.audit_log where id = $1`, [id])).rejects.toThrow(/append-only/);
		await expect(q(`truncate public.audit_log`)).rejects.toThrow(/append-only/);
		for (const role of ['service_role', 'authenticated']) {
			const client = await world.pool.connect();
			try {
				await client.query('begin');
				await client.query(`select set_config('role', $1, true)`, [role]);
				await expect(client.query(`update public.audit_log set reason = 'forged' where id = $1`, [id])).rejects.toMatchObject({ code: '42501' });
			} finally {
				await client.query('rollback');
				client.release();
			}
		}
		const left = await q(`select reason from public.audit_log where id = $1`, [id]);
		expect(left.rows[0].reason).not.toBe('forged');
	});
});
