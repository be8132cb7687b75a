import { expect, test } from '@playwright/test';
import { openAs, setCurrentSite, shoot, withDatabase } from './support';

/**
 * The director opens a new dealership by cloning CON-GRE's configuration (all of it but the
 * lead rules), reads what was copied, and switches to it with the site switcher.
 */
const phone = { width: 390, height: 844 };

test('a director clones CON-GRE into a new dealership and switches to it', async ({ browser }) => {
	const code = `CON-T${Math.floor(100 + Math.random() * 900)}`;
	const { gre, teams, bays } = await withDatabase(async (db) => {
		// A code left by an earlier run is freed first: the site holds only copied configuration.
		await db.query(`update public.profiles set last_site_id = null where last_site_id in (select id from public.sites where code = $1)`, [code]);
		await db.query(`delete from public.sites where code = $1`, [code]);
		const { rows } = await db.query(
			`select s.id, (select count(*) from public.teams t where t.site_id = s.id)::int as teams,
			        (select count(*) from public.bays b where b.site_id = s.id)::int as bays
			 from public.sites s where s.code = 'CON-GRE'`
		);
		return { gre: rows[0].id as string, teams: rows[0].teams as number, bays: rows[0].bays as number };
	});
	await setCurrentSite('directeur@relais.demo', 'CON-GRE');

	const page = await openAs(browser, 'directeur@relais.demo', '/admin/sites');
	const form = page.locator('[data-clone-form]');
	await form.locator('#clone-source').selectOption(gre);
	await form.locator('input[name="parts"][value="lead_rules"]').uncheck();
	await form.locator('#clone-code').fill(code);
	await form.locator('#clone-name').fill(`Relais Auto Annecy ${code}`);
	await form.locator('#clone-legalName').fill('Relais Automobiles Savoie SAS');
	await form.locator('#clone-siret').fill('84512365400017');
	await form.locator('#clone-vatNumber').fill('FR45845123654');
	await form.locator('#clone-shareCapitalEur').fill('60000');
	await form.locator('#clone-addressLine').fill('12 avenue de Genève');
	await form.locator('#clone-postcode').fill('74000');
	await form.locator('#clone-city').fill('Annecy');
	await form.locator('#clone-latitude').fill('45.9065');
	await form.locator('#clone-longitude').fill('6.1287');
	await form.locator('#clone-capacity').fill('60');
	await form.locator('button[type="submit"]').click();

	const result = page.locator('[data-clone-result]');
	await expect(result).toContainText(code);
	await expect(result.locator('[data-count="teams"]')).toHaveText(String(teams));
	await expect(result.locator('[data-count="bays"]')).toHaveText(String(bays));
	await expect(result.locator('[data-count="leadRules"]')).toHaveText('0');
	await expect(result.locator('[data-count="leadForms"]')).toHaveText('0');
	await expect(page.locator('[data-sites]')).toContainText(code);
	await shoot(page, 'site-clone-desktop');
	await page.setViewportSize(phone);
	await shoot(page, 'site-clone-phone');
	await page.setViewportSize({ width: 1440, height: 900 });

	// The header's switcher already lists the new site; switching lands on its page.
	const switcher = page.locator('header form[action="/site"] select');
	await expect(switcher.locator('option', { hasText: code })).toHaveCount(1);
	const newId = await switcher.locator('option', { hasText: code }).getAttribute('value');
	// The switcher is a plain form: its POST redirects back, and the page it lands on must finish
	// loading before the next navigation, or that navigation is aborted.
	const landed = page.waitForEvent('load');
	await switcher.selectOption(newId!);
	await landed;
	await page.goto(`/admin/sites/${newId}`);
	await expect(page.locator('h1')).toContainText(code);
	// Remembered on the profile: a fresh page opens on the new site.
	await expect(switcher).toHaveValue(newId!);
	await expect(switcher.locator('option:checked')).toContainText(code);
	await shoot(page, 'site-clone-detail-desktop');
	await page.context().close();
});
