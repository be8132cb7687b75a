import { expect, test, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** Where screenshots go for a human to look at (not committed). */
const SCREENSHOTS = 'tests/screenshots';

/** A full-page screenshot from the top, after checking the page is no wider than its viewport. */
export async function shoot(page: Page, name: string): Promise<void> {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, `${name} is wider than the viewport`).toBeLessThanOrEqual(0);
	await page.evaluate(() => window.scrollTo(0, 0));
	mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Every demo login shares this password (supabase/seed.sql). */
export const DEMO_PASSWORD = 'relais-demo';

/** The e2e server's own embedded Postgres (playwright.config.ts), reached as its superuser. */
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54341/postgres';

/** Waits until the app is interactive (hydrated), for controls that need JavaScript. */
export async function waitUntilReady(page: Page): Promise<void> {
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

/** Signs in through the real form and waits to land past /login. */
export async function signIn(page: Page, email: string): Promise<void> {
	await page.goto('/login');
	await waitUntilReady(page);
	await page.locator('#email').fill(email);
	await page.locator('#password').fill(DEMO_PASSWORD);
	await page.locator('form button[type="submit"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/**
 * The contexts openAs opened, by the test that opened them. The browser outlives a test, and a
 * page a test left open keeps its live channel, timers and map rendering busy for the rest of
 * the run: a test's leftovers are closed when the next test opens its first page.
 */
const opened = new Map<BrowserContext, string>();

/** A fresh browser context (its own cookies) signed in as `email`, on `path`. */
export async function openAs(browser: Browser, email: string, path: string, options: BrowserContextOptions = {}): Promise<Page> {
	const { testId } = test.info();
	const leftovers = [...opened].filter(([, openedBy]) => openedBy !== testId).map(([context]) => context);
	leftovers.forEach((context) => opened.delete(context));
	await Promise.all(leftovers.map((context) => context.close().catch(() => {})));
	const context = await browser.newContext(options);
	opened.set(context, testId);
	const page = await context.newPage();
	await signIn(page, email);
	await page.goto(path);
	await waitUntilReady(page);
	return page;
}

/** Waits until the page's live channel is connected, so no change can slip past it. */
export async function waitUntilLive(page: Page): Promise<void> {
	await expect(page.locator('[data-live-status]').first()).toHaveAttribute('data-live-status', 'live', { timeout: 15_000 });
}

/**
 * Marks the document so a test can prove it was updated in place: the mark disappears if the
 * page reloads or navigates.
 */
export async function markDocument(page: Page): Promise<void> {
	await page.evaluate(() => ((window as unknown as { __e2eMark: boolean }).__e2eMark = true));
}
export async function documentIsMarked(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark === true);
}

export async function withDatabase<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
	const db = new pg.Client({ connectionString: DATABASE_URL });
	await db.connect();
	try {
		return await fn(db);
	} finally {
		await db.end();
	}
}

export interface ArrangedTask {
	id: string;
	plate: string;
	orderReference: string;
}

/**
 * Puts one task of `client` at HUB-LYS back to "planned for today" (the demo data is relative to
 * the day it was loaded, and earlier runs finished tasks), in an open order, on a vehicle that
 * is at the hub, so every run starts from the same situation.
 */
export async function arrangeTaskForToday(client: string): Promise<ArrangedTask> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`with pick as (
			   select t.id
			   from public.tasks t
			   join public.sites s on s.id = t.site_id and s.code = 'HUB-LYS'
			   join public.client_accounts c on c.id = t.client_account_id and c.name = $1
			   join public.orders o on o.id = t.order_id and o.status = 'open'
			   join public.vehicles v on v.id = t.vehicle_id and v.site_id = t.site_id and v.plate is not null
			   -- A billed task is never reopened (the scheduled monthly run may have billed some).
			   where t.status <> 'cancelled' and not exists (select 1 from public.invoice_lines l where l.task_id = t.id)
			   order by o.deadline desc, t.id
			   limit 1)
			 update public.tasks t
			 set status = 'planned', planned_on = (now() at time zone 'Europe/Paris')::date, started_at = null, completed_at = null
			 from pick where t.id = pick.id
			 returning t.id,
			   (select v.plate from public.vehicles v where v.id = t.vehicle_id) as plate,
			   (select o.reference from public.orders o where o.id = t.order_id) as order_reference`,
			[client]
		);
		if (!rows[0]) throw new Error(`The demo data has no open task of ${client} at HUB-LYS`);
		return { id: rows[0].id, plate: rows[0].plate, orderReference: rows[0].order_reference };
	});
}

/** Sets the site a person's screens open on (what the site switcher remembers). */
export async function setCurrentSite(email: string, siteCode: string): Promise<void> {
	await withDatabase((db) =>
		db.query(
			`update public.profiles set last_site_id = (select id from public.sites where code = $2)
			 where id = (select id from auth.users where email = $1)`,
			[email, siteCode]
		)
	);
}

export interface ArrangedGateIn {
	vehicleId: string;
	plate: string;
	bayId: string;
	bayNumber: string;
	/** The database's clock when arranged: movements recorded after it are this run's. */
	since: Date;
}

/** An expected vehicle of HUB-LYS with a plate of its own (with work planned, when the demo has one), and its suggested bay. */
export async function arrangeGateIn(): Promise<ArrangedGateIn> {
	await setCurrentSite('operateur@relais.demo', 'HUB-LYS');
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`select v.id, v.plate, b.id as bay_id, b.number as bay_number, now() as since
			 from public.vehicles v join public.sites s on s.id = v.site_id and s.code = 'HUB-LYS'
			 cross join lateral (select public.suggest_bay(v.site_id, v.id) as id) sb
			 join public.bays b on b.id = sb.id
			 where v.status = 'expected' and v.bay_id is null and v.plate is not null
			   and (select count(*) from public.vehicles w where w.plate = v.plate) = 1
			 order by exists (select 1 from public.tasks t where t.vehicle_id = v.id and t.status in ('todo', 'planned')) desc, v.plate
			 limit 1`
		);
		if (!rows[0]) throw new Error('The demo data has no expected vehicle with a plate at HUB-LYS');
		return { vehicleId: rows[0].id, plate: rows[0].plate, bayId: rows[0].bay_id, bayNumber: rows[0].bay_number, since: rows[0].since };
	});
}
