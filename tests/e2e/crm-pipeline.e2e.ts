import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { pdfPageToPng } from '../../src/lib/server/documents/pdf-text';
import { documentIsMarked, markDocument, openAs, setCurrentSite, shoot, waitUntilLive, withDatabase } from './support';

/**
 * A sales person of CON-LYV and the site's manager both have the pipeline open; the sales person
 * moves a lead to another stage with the card's stage menu (the keyboard's way): the manager's
 * board shows it in its new column, and the pipeline value drops, without a reload.
 */
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

/** An open lead of CON-LYV with a value, put back in `contacted` (earlier runs moved it on). */
async function arrange(): Promise<{ id: string; valueCents: number; quoteId: string }> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`with pick as (
			   select l.id from public.leads l join public.sites s on s.id = l.site_id and s.code = 'CON-LYV'
			   where l.value_cents > 0 order by l.id limit 1)
			 update public.leads l set stage = 'contacted', lost_reason = null from pick where l.id = pick.id
			 returning l.id, l.value_cents::float8 as "valueCents",
			   (select q.id from public.quotes q join public.sites s on s.id = q.selling_site_id and s.code = 'CON-LYV' order by q.number limit 1) as "quoteId"`
		);
		if (!rows[0]) throw new Error('The demo data has no lead at CON-LYV');
		return rows[0];
	});
}

test('a stage move by a sales person shows on the manager’s pipeline, value included, without reload', async ({ browser }) => {
	const lead = await arrange();
	await setCurrentSite('vendeur@relais.demo', 'CON-LYV');
	await setCurrentSite('marc.garnier@relais.demo', 'CON-LYV');
	const sales = await openAs(browser, 'vendeur@relais.demo', '/crm/pipeline?view=site', { viewport: desktop });
	const manager = await openAs(browser, 'marc.garnier@relais.demo', '/crm/pipeline?view=site', { viewport: desktop });
	await waitUntilLive(sales);
	await waitUntilLive(manager);
	const card = (page: typeof sales) => page.locator(`[data-lead="${lead.id}"]`);
	await expect(manager.locator('[data-column="contacted"]').locator(`[data-lead="${lead.id}"]`)).toBeVisible();
	const before = Number(await manager.locator('[data-pipeline-value]').getAttribute('data-pipeline-value'));
	await markDocument(manager);

	// Delivered: out of the open pipeline.
	await card(sales).getByRole('combobox').selectOption('delivered');
	await expect(sales.locator('[data-column="delivered"]').locator(`[data-lead="${lead.id}"]`)).toBeVisible();

	await expect(manager.locator('[data-column="delivered"]').locator(`[data-lead="${lead.id}"]`)).toBeVisible();
	await expect(manager.locator('[data-pipeline-value]')).toHaveAttribute('data-pipeline-value', String(before - lead.valueCents));
	expect(await documentIsMarked(manager), 'the board updated in place').toBe(true);

	await shoot(manager, 'crm-pipeline-desktop');
	await manager.setViewportSize(phone);
	await shoot(manager, 'crm-pipeline-phone');

	// The sale document of a CON-LYV quote, first page, for a human to look at.
	const pdf = await sales.request.get(`/files/quotes/${lead.quoteId}`);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	writeFileSync('tests/screenshots/crm-quote-pdf.png', await pdfPageToPng(new Uint8Array(await pdf.body())));
	await sales.context().close();
	await manager.context().close();
});
