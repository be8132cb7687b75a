import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { documentIsMarked, markDocument, openAs, setCurrentSite, shoot, waitUntilLive, waitUntilReady } from './support';

/**
 * A lead arrives live in the list of the salesperson who receives it. Inès Morel (sales at
 * CON-GRE) has her leads open; a visitor nobody knows fills CON-GRE's public form with a Grenoble
 * postcode and no vehicle. The demo organisation's rules (vehicle_site, nearest_site max 150 km,
 * fastest_responder, round_robin, fallback) give: no vehicle, so the nearest dealership to 38000,
 * CON-GRE, then its fastest responder, Inès, the only sales person there with answered leads. The
 * lead shows in her list without a reload, with both rules and their figures.
 */
const phone = { width: 390, height: 844 };
const formKey = createHash('md5').update('relais-demo/lead-form/CON-GRE').digest('hex');

test('a web form lead appears live in the assigned salesperson’s list with the rule that assigned it', async ({ browser }) => {
	const run = String(Date.now()).slice(-6);
	const lastName = `Visiteur-${run}`;
	await setCurrentSite('ines.morel@relais.demo', 'CON-GRE');
	const ines = await openAs(browser, 'ines.morel@relais.demo', '/crm/leads');
	await expect(ines.locator('[data-lead-view="mine"]')).toHaveAttribute('aria-current', 'page');
	await waitUntilLive(ines);
	await markDocument(ines);

	// A visitor on the dealer's website: no session, a phone.
	const visitorContext = await browser.newContext({ viewport: phone, isMobile: true, hasTouch: true });
	const visitor = await visitorContext.newPage();
	await visitor.goto(`/f/${formKey}`);
	await waitUntilReady(visitor);
	await expect(visitor.getByRole('heading', { name: 'Demande de contact' })).toBeVisible();
	await shoot(visitor, 'crm-lead-form-phone');
	await visitor.locator('#lf-first-name').fill('Lucie');
	await visitor.locator('#lf-last-name').fill(lastName);
	await visitor.locator('#lf-phone').fill(`06 55 ${run.slice(0, 2)} ${run.slice(2, 4)} ${run.slice(4, 6)}`);
	await visitor.locator('#lf-postcode').fill('38000');
	await visitor.locator('#lf-message').fill('Je cherche une citadine pour le mois prochain.');
	await visitor.getByRole('checkbox').check();
	await visitor.getByRole('button', { name: 'Envoyer ma demande' }).click();
	await expect(visitor.locator('[data-lead-form-sent]')).toContainText('Merci');

	// In Inès's list, without a reload: the lead, the nearest site with its distance, and her as the fastest responder.
	const row = ines.locator('[data-lead-row]:visible', { hasText: lastName });
	await expect(row).toBeVisible({ timeout: 15_000 });
	await expect(row.locator('[data-lead-source]')).toHaveText('Formulaire web · CON-GRE');
	await expect(row.locator('[data-lead-stage]')).toHaveText('Nouveau');
	await expect(row.locator('[data-lead-assignee]')).toHaveText('Inès Morel');
	await expect(row.locator('[data-site-rule="nearest_site"]')).toHaveText(/Site le plus proche · [\d,]+ km$/);
	await expect(row.locator('[data-person-rule="fastest_responder"]')).toHaveText(/Vendeur le plus réactif · médiane [\d,]+ min$/);
	await expect(row.locator('[data-waiting="waiting"]')).toBeVisible();
	expect(await documentIsMarked(ines), 'the list updated in place').toBe(true);

	await shoot(ines, 'crm-leads-desktop');
	await ines.setViewportSize(phone);
	await expect(row).toBeVisible();
	await shoot(ines, 'crm-leads-phone');
	await visitorContext.close();
	await ines.context().close();
});
