import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openAs, shoot, waitUntilLive, waitUntilReady, withDatabase } from './support';

/**
 * The manager dashboard: the director reads the group's figures, narrows them to a site, opens
 * the rows behind a figure and downloads a panel as CSV and PNG, numbers matching the screen and
 * the database; an operator is refused; a bad period is a 400 with the field's message.
 * Screenshots at desktop and phone sizes.
 */
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

/** Today and 90 days before in Paris: a window the demo data (relative to its load day) fills. */
function window90(): { start: string; end: string } {
	const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
	const now = new Date();
	return { start: day(new Date(now.getTime() - 90 * 86_400_000)), end: day(now) };
}

const figure = async (page: Page, kpi: string) => Number((await page.locator(`[data-kpi-value="${kpi}"]`).innerText()).replace(/\D/g, ''));

test('the director reads the group, narrows to a site, drills down and exports', async ({ browser }) => {
	test.slow();
	const { start, end } = window90();
	const lys = await withDatabase(async (db) => {
		const site = (await db.query(`select id from public.sites where code = 'HUB-LYS'`)).rows[0].id as string;
		// vehicles_processed as defined: ready within the period, in the site's own days.
		const { rows } = await db.query(
			`select count(*)::int as n from public.vehicles v join public.sites s on s.id = v.site_id
			 where v.site_id = $1 and (v.ready_at at time zone s.timezone)::date between $2::date and $3::date`,
			[site, start, end]
		);
		return { id: site, processed: rows[0].n as number };
	});
	expect(lys.processed, 'the demo data has vehicles processed at HUB-LYS').toBeGreaterThan(0);

	const page = await openAs(browser, 'directeur@relais.demo', '/kpi', { viewport: desktop, acceptDownloads: true });
	await waitUntilLive(page);
	await expect(page.locator('[data-kpi-panel="headline"] [data-kpi-tile="immobilisation_hours"]')).toBeVisible();
	await expect(page.locator('[data-kpi-scope]')).toContainText('Tous les sites');
	// Sites panel: every site of the group ranked.
	expect(await page.locator('[data-site-rank]').count()).toBeGreaterThan(1);

	// A custom period through the form, then one site (chosen from the list, shown at once).
	await page.locator('label:has([data-period="custom"])').click();
	await page.locator('#kpi-start').fill(start);
	await page.locator('#kpi-end').fill(end);
	await page.locator('[data-kpi-apply]').click();
	await expect(page).toHaveURL(new RegExp(`period=custom&start=${start}&end=${end}`));
	const consolidated = await figure(page, 'vehicles_processed');
	await page.locator('#kpi-site').selectOption(lys.id);
	await expect(page).toHaveURL(new RegExp(`site=${lys.id}`));
	await expect(page.locator('[data-kpi-scope]')).not.toContainText('Tous les sites');
	await expect(page.locator('[data-site-rank]')).toHaveCount(1);
	const processed = await figure(page, 'vehicles_processed');
	expect(processed).toBe(lys.processed);
	expect(consolidated).toBeGreaterThanOrEqual(processed);

	// The definition is one keyboard press away.
	await page.locator('[data-kpi-tile="vehicles_processed"] [data-kpi-info]').focus();
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-kpi-definition="vehicles_processed"]')).toContainText('prêts');
	await page.keyboard.press('Escape');
	await shoot(page, 'kpi-desktop');

	// The CSV of the headline holds the figure on screen.
	const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export-csv="headline"]').click()]);
	expect(csv.suggestedFilename()).toBe(`kpi-headline-HUB-LYS-${start}-${end}.csv`);
	const rows = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
	expect(rows[0]).toBe('Indicateur;Site;Valeur;Période précédente;Unité');
	expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^Véhicules traités;HUB-LYS;${processed};\\d+;nombre$`)));

	// The PNG of a chart panel, drawn in the browser.
	const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export-png="immobilisation"]').click()]);
	expect(png.suggestedFilename()).toBe(`kpi-immobilisation-${start}-${end}.png`);
	expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe('PNG');

	// From the figure to the rows behind it, and back to the same view.
	await page.locator('[data-kpi-value="vehicles_processed"]').click();
	await expect(page).toHaveURL(new RegExp(`/kpi/vehicles_processed\\?period=custom&start=${start}&end=${end}&site=${lys.id}`));
	await expect(page.locator('[data-drill-row]')).toHaveCount(processed);
	await expect(page.locator('[data-drill-count]')).toHaveAttribute('data-drill-count', String(processed));
	await page.locator('[data-kpi-back]').click();
	await expect(page).toHaveURL(new RegExp(`/kpi\\?period=custom&start=${start}&end=${end}&site=${lys.id}`));

	await page.setViewportSize(phone);
	await page.goto('/kpi');
	await waitUntilReady(page);
	await shoot(page, 'kpi-phone');
	await page.context().close();
});

test('a bad period is a 400 with the field’s message, not an error', async ({ browser }) => {
	const page = await openAs(browser, 'responsable@relais.demo', '/kpi');
	const response = await page.goto('/kpi?period=custom&start=2026-11-30&end=2026-11-01');
	expect(response?.status()).toBe(400);
	await expect(page.locator('#kpi-end-error')).toHaveText('La fin doit tomber le jour du début ou après.');
	await expect(page.locator('#kpi-end')).toHaveAttribute('aria-invalid', 'true');
	const csv = await page.request.get('/kpi/export.csv?panel=sites&period=custom&start=2026-02-30');
	expect(csv.status()).toBe(400);
	await page.context().close();
});

test('an operator is refused the dashboard and its exports', async ({ browser }) => {
	const page = await openAs(browser, 'operateur@relais.demo', '/today');
	await expect(page.getByRole('link', { name: 'Indicateurs' })).toHaveCount(0);
	const response = await page.goto('/kpi');
	expect(response?.status()).toBe(403);
	await expect(page.locator('[data-kpi-error="403"]')).toContainText('réservés aux responsables de site');
	expect((await page.request.get('/kpi/export.csv?panel=headline')).status()).toBe(403);
	expect((await page.request.get('/kpi/vehicles_processed')).status()).toBe(403);
	await page.context().close();
});

test('a client has no KPI route: the dashboard, its exports and the wall give nothing', async ({ browser }) => {
	const page = await openAs(browser, 'client@relais.demo', '/portal');
	await page.goto('/kpi');
	await expect(page).toHaveURL(/\/portal$/);
	expect((await page.request.get('/kpi/export.csv?panel=headline')).status()).toBe(403);
	const drillDown = await page.request.get('/kpi/vehicles_processed', { maxRedirects: 0 });
	expect(drillDown.status()).toBe(303);
	expect(drillDown.headers().location).toBe('/portal');
	// The wall answers to a device token only; a person's session opens nothing there.
	await page.goto('/wall');
	await expect(page.locator('[data-wall]')).toHaveAttribute('data-wall-state', 'not_connected');
	await expect(page.locator('[data-kpi-panel]')).toHaveCount(0);
	await page.context().close();
});
