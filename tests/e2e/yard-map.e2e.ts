import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { documentIsMarked, markDocument, openAs, setCurrentSite, waitUntilLive, withDatabase } from './support';

/**
 * The yard map of HUB-LYS at desktop size, drawn by MapLibre through SwiftShader: the plan and
 * its vehicles render; a vehicle parked from elsewhere (a gate-in on a phone) appears in its bay
 * without a reload; a plate typed in the search flies to it and opens its card; the card's
 * "move to bay" refuses a taken bay with the reason and moves to a free one.
 */
const DIR = 'tests/screenshots';
mkdirSync(DIR, { recursive: true });

async function shoot(page: Page, name: string) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, `${name} is wider than the viewport`).toBeLessThanOrEqual(0);
	await page.screenshot({ path: `${DIR}/${name}.png` });
}

interface Arranged {
	vehicleId: string;
	plate: string;
	/** A free bay at the back of the east park, and one that holds another vehicle. */
	freeBay: { id: string; number: string };
	takenBay: string;
	anotherFreeBay: string;
	/** The database's clock when arranged: moves recorded after it are this run's. */
	since: Date;
}

/** An on-site vehicle of HUB-LYS with a plate of its own, taken out of its bay: it waits at the gate. */
async function arrange(): Promise<Arranged> {
	return withDatabase(async (db) => {
		const { rows } = await db.query(
			`with pick as (
			   select v.id from public.vehicles v join public.sites s on s.id = v.site_id and s.code = 'HUB-LYS'
			   where v.status = 'on_site' and v.plate is not null
			     and (select count(*) from public.vehicles w where w.plate = v.plate) = 1
			   order by v.plate limit 1)
			 update public.vehicles v set bay_id = null from pick where v.id = pick.id returning v.id, v.plate`
		);
		if (!rows[0]) throw new Error('The demo data has no vehicle on site at HUB-LYS');
		const free = await db.query(
			`select b.id, b.number from public.bays b join public.sites s on s.id = b.site_id and s.code = 'HUB-LYS'
			 where not exists (select 1 from public.vehicles v where v.bay_id = b.id)
			 order by b.rank desc limit 2`
		);
		const taken = await db.query(
			`select b.number from public.bays b join public.sites s on s.id = b.site_id and s.code = 'HUB-LYS'
			 where exists (select 1 from public.vehicles v where v.bay_id = b.id) order by b.rank limit 1`
		);
		return {
			vehicleId: rows[0].id,
			plate: rows[0].plate,
			freeBay: free.rows[0],
			anotherFreeBay: free.rows[1].number,
			takenBay: taken.rows[0].number,
			since: (await db.query('select now() as now')).rows[0].now
		};
	});
}

const mapOf = (page: Page) => page.locator('[data-yard-map]');
const rendered = async (page: Page) => Number(await mapOf(page).getAttribute('data-rendered-vehicles'));

test.describe('the live yard map', () => {
	test('draws the plan, shows a vehicle parked elsewhere live, finds a plate and moves it by bay number', async ({ browser }) => {
		test.setTimeout(120_000);
		const a = await arrange();
		await setCurrentSite('operateur@relais.demo', 'HUB-LYS');
		const page = await openAs(browser, 'operateur@relais.demo', '/yard');
		await waitUntilLive(page);

		// The plan renders: every bay of the site in MapLibre's sources, the parked vehicles over them.
		const bays = await withDatabase(async (db) =>
			Number(
				(await db.query(`select count(*) from public.bays b join public.sites s on s.id = b.site_id where s.code = 'HUB-LYS'`)).rows[0].count
			)
		);
		await expect(mapOf(page)).toHaveAttribute('data-map-state', 'ready', { timeout: 20_000 });
		await expect(mapOf(page)).toHaveAttribute('data-rendered-bays', String(bays), { timeout: 20_000 });
		const before = Number(await page.locator('[data-yard-free]').getAttribute('data-yard-free'));
		await expect.poll(() => rendered(page)).toBeGreaterThan(20);
		const vehiclesBefore = await rendered(page);
		expect(vehiclesBefore).toBe(bays - before);
		await expect(page.getByRole('region', { name: 'Plan du parc : zones, places et véhicules' })).toBeVisible();
		await shoot(page, 'yard-map-desktop');

		// A gate-in recorded on a phone parks the vehicle: it appears in its bay here, without a reload.
		await markDocument(page);
		await withDatabase(async (db) => {
			await db.query(`update public.vehicles set bay_id = $2 where id = $1`, [a.vehicleId, a.freeBay.id]);
			await db.query(
				`insert into public.movements (site_id, client_account_id, vehicle_id, kind, bay_id)
				 select site_id, client_account_id, id, 'bay_move', $2 from public.vehicles where id = $1`,
				[a.vehicleId, a.freeBay.id]
			);
		});
		await expect.poll(() => rendered(page), { timeout: 5_000 }).toBe(vehiclesBefore + 1);
		await expect(page.locator('[data-yard-free]')).toHaveAttribute('data-yard-free', String(before - 1));
		await expect(page.locator(`[data-yard-zones] li[data-bay="${a.freeBay.number}"]`)).toHaveAttribute('data-plate', a.plate);
		expect(await documentIsMarked(page)).toBe(true);

		// Search the plate as people type it: the map flies to the bay and opens the vehicle's card.
		const zoomBefore = Number(await mapOf(page).getAttribute('data-zoom'));
		await page.getByLabel('Chercher une immatriculation').fill(a.plate.toLowerCase().replaceAll('-', ' '));
		await page.getByLabel('Chercher une immatriculation').press('Enter');
		const card = page.locator(`[data-vehicle-card="${a.vehicleId}"]`);
		await expect(card).toBeVisible();
		await expect(card.locator('[data-card-bay]')).toContainText(a.freeBay.number);
		await expect.poll(async () => Number(await mapOf(page).getAttribute('data-zoom')), { timeout: 5_000 }).toBeGreaterThan(zoomBefore + 1);
		await expect(mapOf(page)).toHaveAttribute('data-rendered-vehicles', /\d+/);
		await shoot(page, 'yard-map-search');

		// Move to bay by number, the keyboard's way: a taken bay is refused with the reason, a free one works.
		const bayInput = card.getByLabel('Déplacer vers la place');
		await bayInput.fill(a.takenBay);
		await bayInput.press('Enter');
		await expect(card.locator('[data-form-error]')).toHaveText(`La place ${a.takenBay} est déjà occupée : choisissez-en une autre.`);
		await shoot(page, 'yard-map-bay-taken');
		await bayInput.fill(a.anotherFreeBay.toLowerCase());
		await bayInput.press('Enter');
		await expect(card.locator('[data-card-bay]')).toContainText(a.anotherFreeBay);
		await expect(page.locator(`[data-yard-zones] li[data-bay="${a.anotherFreeBay}"]`)).toHaveAttribute('data-plate', a.plate);
		const moves = await withDatabase(async (db) =>
			Number(
				(
					await db.query(
						`select count(*) from public.movements m join public.bays b on b.id = m.bay_id
						 where m.vehicle_id = $1 and m.kind = 'bay_move' and b.number = $2 and m.occurred_at >= $3`,
						[a.vehicleId, a.anotherFreeBay, a.since]
					)
				).rows[0].count
			)
		);
		expect(moves).toBe(1);

		// On a phone the map takes the width and the panel folds into a bottom sheet with the free bays.
		const phone = await openAs(browser, 'operateur@relais.demo', '/yard', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		await expect(mapOf(phone)).toHaveAttribute('data-map-state', 'ready', { timeout: 20_000 });
		await expect(phone.locator('[data-yard-zones]')).toBeHidden();
		await phone.getByRole('button', { name: /places libres sur/ }).click();
		await expect(phone.locator('[data-yard-zones]')).toBeVisible();
		await shoot(phone, 'yard-map-phone');
	});
});
