import { expect, test } from '@playwright/test';
import { openAs, shoot, waitUntilReady, withDatabase } from './support';

/**
 * One customer across the group: CON-MRP's manager finds the demo duplicate pair (customer 241
 * has customer 5's phone typed as a national number), merges them, and the kept record's
 * history shows both records' interactions.
 */
const phone = { width: 390, height: 844 };
const customerId = (n: number) => withDatabase(async (db) => (await db.query(`select md5('relais-demo/customer/' || $1::text)::uuid as id`, [n])).rows[0].id as string);

/** Puts the duplicate back (an earlier run merged it) and gives each record a visit of this run. */
async function arrange(stamp: string): Promise<{ keep: string; drop: string }> {
	return withDatabase(async (db) => {
		await db.query(
			`insert into public.customers (id, organisation_id, first_name, last_name, email, phone, postcode, first_site_id, created_at)
			 select md5('relais-demo/customer/241')::uuid, c.organisation_id, c.first_name, c.last_name, null,
			        '0' || regexp_replace(substr(c.phone, 5), ' ', '.', 'g'), c.postcode, c.first_site_id, now() - interval '3 days'
			 from public.customers c where c.id = md5('relais-demo/customer/5')::uuid
			 on conflict do nothing`
		);
		await db.query(
			`insert into public.customer_interactions (organisation_id, customer_id, site_id, kind, note)
			 select c.organisation_id, c.id, s.id, 'visit', 'E2E ' || $1 || ' ' || (case when c.id = md5('relais-demo/customer/5')::uuid then 'kept' else 'dropped' end)
			 from public.customers c, public.sites s
			 where c.id in (md5('relais-demo/customer/5')::uuid, md5('relais-demo/customer/241')::uuid) and s.code = 'CON-MRP'`,
			[stamp]
		);
		return { keep: await customerId(5), drop: await customerId(241) };
	});
}

test('a site manager merges the demo duplicate pair and the history keeps both records', async ({ browser }) => {
	const stamp = `${Date.now()}`;
	const { keep, drop } = await arrange(stamp);
	const page = await openAs(browser, 'olivier.chevalier@relais.demo', '/crm/customers', { viewport: { width: 1440, height: 900 } });
	await expect(page.locator('[data-customer-row]').first()).toBeVisible();
	await shoot(page, 'crm-customers-list');

	await page.locator('[data-duplicates-tab]').click();
	// The demo has more records of this person (same phone); this pair is 5 and 241.
	const pair = page.locator(`[data-duplicate-pair*="${keep}"][data-duplicate-pair*="${drop}"]`);
	await expect(pair).toContainText(/Même téléphone|Same phone/);
	await pair.getByRole('link', { name: /Comparer et fusionner|Compare and merge/ }).click();
	await page.waitForURL(/\/crm\/customers\/merge/);
	await waitUntilReady(page);
	await page.locator(`[data-merge-side="${keep}"] input[type=radio]`).check();
	await page.locator('#merge-reason').fill('Même numéro de téléphone');
	await page.locator('[data-merge-form] button[type=submit]').click();

	await page.waitForURL(`**/crm/customers/${keep}`);
	const timeline = page.locator('[data-timeline]');
	await expect(timeline).toContainText(`E2E ${stamp} kept`);
	await expect(timeline).toContainText(`E2E ${stamp} dropped`);
	expect(await withDatabase(async (db) => (await db.query(`select count(*)::int as n from public.customers where id = $1`, [drop])).rows[0].n)).toBe(0);
	await shoot(page, 'crm-customer-detail');

	await page.setViewportSize(phone);
	await shoot(page, 'crm-customer-detail-phone');
	await page.goto('/crm/customers');
	await waitUntilReady(page);
	await shoot(page, 'crm-customers-list-phone');
});
