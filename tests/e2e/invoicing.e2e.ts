import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { pdfText } from '../../src/lib/server/documents/pdf-text';
import { openAs, setCurrentSite, waitUntilReady, withDatabase } from './support';

/**
 * From validated work to the client's invoice: a CSM validates two done tasks, runs June's
 * billing, issues the draft and downloads its PDF (the hub's legal details, the client, the
 * number); the client finds it in the portal, another client account neither sees it nor can
 * download it. Screenshots of the billing screens at desktop and phone sizes.
 */
const DIR = 'tests/screenshots';
mkdirSync(DIR, { recursive: true });
const phone = { width: 390, height: 844 };

async function shoot(page: Page, name: string) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, `${name} is wider than the viewport`).toBeLessThanOrEqual(0);
	// From the top: a full-page shot taken scrolled down paints the sticky header mid-page.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true });
}

/**
 * Two done tasks of Europa Location at HUB-LYS finished in June, on a new order of their own
 * (billed tasks are never touched again, so every run brings its own work).
 */
async function arrangeJuneWork(): Promise<{ ids: string[]; legalName: string }> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`with place as (
			   select s.id as site_id, s.legal_name, c.id as account_id
			   from public.sites s, public.client_accounts c where s.code = 'HUB-LYS' and c.name = 'Europa Location'),
			 new_order as (
			   insert into public.orders (site_id, client_account_id, reference, deadline, status)
			   select site_id, account_id, 'E2E-' || to_char(clock_timestamp(), 'YYMMDDHH24MISSMS'), '2026-06-30', 'closed' from place
			   returning id, site_id, client_account_id),
			 work as (
			   select v.id as vehicle_id, sv.id as service_id, sv.default_minutes
			   from place
			   join lateral (select id from public.vehicles where site_id = place.site_id and client_account_id = place.account_id order by vin limit 2) v on true
			   join lateral (select id, default_minutes from public.services where site_id = place.site_id and active order by code limit 1) sv on true)
			 insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents, status, completed_at)
			 select o.site_id, o.client_account_id, o.id, w.vehicle_id, w.service_id, w.default_minutes, 4500, 'done', '2026-06-15 10:00+02'
			 from new_order o, work w
			 returning id, (select legal_name from place) as legal_name`
		);
		if (rows.length < 2) throw new Error('The demo data has no vehicles of Europa Location at HUB-LYS');
		return { ids: rows.map((r) => r.id), legalName: rows[0].legal_name };
	});
}

test('a CSM bills a month and issues the invoice; its client downloads it, another client cannot', async ({ browser }) => {
	test.slow();
	const work = await arrangeJuneWork();
	await setCurrentSite('csm@relais.demo', 'HUB-LYS');

	const csm = await openAs(browser, 'csm@relais.demo', '/invoices');
	const validation = csm.locator('[data-to-validate]');
	for (const id of work.ids) await validation.locator(`[data-task="${id}"] input`).check();
	await validation.getByRole('button', { name: /valider/i }).click();
	await expect(csm.locator('[data-validated]')).toBeVisible();

	const run = csm.locator('[data-billing-run]');
	await run.locator('#run-month').fill('2026-06');
	await run.locator('button[type="submit"]').click();
	await expect(csm.locator('[data-run-result]')).toContainText(/juin 2026/i);
	await shoot(csm, 'invoices-desktop');

	const draftId = await withDatabase(async (db) => {
		const { rows } = await db.query(
			`select i.id from public.invoices i join public.invoice_lines l on l.invoice_id = i.id
			 where l.task_id = $1 and i.status = 'draft'`,
			[work.ids[0]]
		);
		return rows[0].id as string;
	});
	await csm.goto(`/invoices/${draftId}`);
	await waitUntilReady(csm);
	await expect(csm.locator('[data-invoice-lines] [data-line]')).not.toHaveCount(0);
	await shoot(csm, 'invoice-draft-desktop');
	await csm.locator('[data-issue]').click();
	await csm.locator('#issue-confirm').click();
	await expect(csm.locator('[data-invoice-number]')).toHaveText(/^F-HUB-LYS-\d{4}-\d{5}$/);
	const number = (await csm.locator('[data-invoice-number]').textContent())!.trim();
	await shoot(csm, 'invoice-issued-desktop');

	const pdfUrl = (await csm.locator('[data-download-pdf]').getAttribute('href'))!;
	const pdf = await csm.request.get(pdfUrl);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	const text = await pdfText(new Uint8Array(await pdf.body()));
	expect(text).toContain(number);
	expect(text).toContain(work.legalName);
	expect(text).toContain('Europa Location');

	const client = await openAs(browser, 'client@relais.demo', '/portal/invoices', { viewport: phone });
	await expect(client.locator(`[data-portal-invoice="${number}"]`)).toBeVisible();
	await shoot(client, 'portal-invoices-phone');
	expect((await client.request.get(pdfUrl)).status()).toBe(200);

	const other = await openAs(browser, 'client2@relais.demo', '/portal/invoices');
	await expect(other.locator('main')).toBeVisible();
	await expect(other.locator(`[data-portal-invoice="${number}"]`)).toHaveCount(0);
	expect((await other.request.get(pdfUrl)).status()).toBe(404);

	const phoneCsm = await openAs(browser, 'csm@relais.demo', '/invoices', { viewport: phone });
	await shoot(phoneCsm, 'invoices-phone');
});

test('a site manager rewords the invoice template with a reason; the audit log shows who and why', async ({ browser }) => {
	const stamp = Date.now().toString(36);
	const intro = `Prestations du mois, détaillées ci-dessous (${stamp}).`;
	const reason = `Nouvelle formulation demandée par la direction (${stamp})`;
	const manager = await openAs(browser, 'responsable@relais.demo', '/admin/documents?kind=invoice&locale=fr');
	await expect(manager.locator('[data-doctpl-preview]')).toBeVisible();
	const form = manager.locator('[data-doctpl-form]');
	await form.locator('[data-doctpl-field="intro"] textarea, [data-doctpl-field="intro"] input').fill(intro);
	await form.locator('[name="reason"]').fill(reason);
	await form.locator('button[type="submit"]').first().click();
	await expect(manager.locator('[data-doctpl-done]')).toBeVisible();
	await shoot(manager, 'admin-documents-desktop');

	const admin = await openAs(browser, 'admin@relais.demo', `/admin/audit?table=document_templates&text=${stamp}`);
	const row = admin.locator('[data-audit-results] [data-audit-table="document_templates"]').first();
	await expect(row).toContainText(reason);
	await expect(row).toContainText('Claire Dubois');
	await shoot(admin, 'admin-audit-desktop');
});
