import { createHash } from 'node:crypto';
import { chromium, type Browser, type FullConfig } from '@playwright/test';
import { signIn } from './support';

async function untilHydrated(browser: Browser, baseURL: string): Promise<void> {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const page = await browser.newPage({ baseURL });
		try {
			await page.goto('/login');
			await page.locator('html[data-ready]').waitFor({ state: 'attached', timeout: 10_000 });
			return;
		} catch (err) {
			if (Date.now() > deadline) throw err;
		} finally {
			await page.close();
		}
	}
}

/** A demo id as the seed makes it: md5 of `relais-demo/<key>`, as a uuid (supabase/seed.sql). */
function demoId(key: string): string {
	const hex = createHash('md5').update(`relais-demo/${key}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Visits every screen once before the tests. On the dev server, the first visit makes Vite
 * discover and pre-bundle the browser dependencies and then reload the page, which would
 * otherwise land in the middle of a test. Harmless against a production build.
 */
export default async function warmUp(config: FullConfig): Promise<void> {
	const project = config.projects[0].use;
	const browser = await chromium.launch(project.launchOptions);
	try {
		const visit = async (email: string | null, paths: string[]) => {
			const context = await browser.newContext({ baseURL: project.baseURL, locale: 'fr-FR' });
			const page = await context.newPage();
			if (email) await signIn(page, email);
			for (const path of paths) {
				await page.goto(path);
				await page.waitForLoadState('load');
				await page.waitForTimeout(2_000);
			}
			await context.close();
		};
		await visit(null, ['/login']);
		// Until the dependency pre-bundling settles, a fresh page may fail to hydrate: wait for one that does.
		await untilHydrated(browser, project.baseURL!);
		await visit('responsable@relais.demo', ['/today', '/today?wall=1', '/orders', '/orders/new', '/prices', '/transfers', '/transfers/map', '/drivers', '/stock', '/stock/import', '/yard', '/yard/gate', '/convoy', '/board', '/board?wall=1', '/invoices', '/admin/documents', '/admin/audit', '/kpi']);
		const customer = demoId('customer/5');
		const quote = demoId(`quote/${demoId('lead/5')}`);
		await visit('directeur@relais.demo', [
			'/crm/leads',
			'/crm/leads/import',
			'/crm/pipeline',
			'/crm/customers',
			`/crm/customers/${customer}`,
			`/crm/customers/merge?keep=${customer}&drop=${demoId('customer/241')}`,
			`/crm/quotes/new?customer=${customer}`,
			`/crm/quotes/${quote}`,
			'/crm/rules',
			'/admin/sites',
			'/admin/sites/d0000000-0000-4000-a001-000000000004'
		]);
		await visit(null, [`/f/${createHash('md5').update('relais-demo/lead-form/CON-GRE').digest('hex')}`]);
		await visit('admin@relais.demo', ['/admin/devices']);
		await visit('client@relais.demo', ['/portal', '/portal/orders/new', '/portal/invoices', '/portal/convoy']);
	} finally {
		await browser.close();
	}
}
