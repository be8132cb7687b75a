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
		await visit('admin@relais.demo', ['/admin/devices']);
		await visit('client@relais.demo', ['/portal', '/portal/orders/new', '/portal/invoices', '/portal/convoy']);
	} finally {
		await browser.close();
	}
}
