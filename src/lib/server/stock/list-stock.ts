import { energies, stockSorts, stockStatuses, type Energy, type StockSort, type StockStatus } from '../../components/stock/options';
import type { Sql } from '../db/pool';

/**
 * The dealer stock the signed-in person may see, read from public.stock_vehicles as that person:
 * row-level security decides which rows (their sites, or the whole group for sales when the
 * organisation allows), the view decides which figures (purchase price and margin are null for
 * whoever may not read them). Nothing here filters by role.
 */

export { energies, stockSorts, stockStatuses };
export type { Energy, StockSort, StockStatus };

export interface StockFilters {
	make?: string;
	/** Case-insensitive prefix of the model. */
	model?: string;
	energy?: Energy;
	status?: StockStatus;
	siteId?: string;
	minPriceCents?: number;
	maxPriceCents?: number;
	minDays?: number;
	maxDays?: number;
	sort?: StockSort;
	direction?: 'asc' | 'desc';
	limit?: number;
	offset?: number;
}

export interface StockRow {
	id: string;
	vin: string;
	plate: string | null;
	make: string;
	model: string;
	energy: Energy;
	mileageKm: number;
	colour: string | null;
	status: StockStatus;
	siteId: string;
	siteCode: string;
	/** Zone code and bay number when the person may read the site's yard; null otherwise or off-bay. */
	zoneCode: string | null;
	bayNumber: string | null;
	/** An open transfer (or the vehicle on the road): where it is heading, when known. */
	inTransfer: boolean;
	transferToCode: string | null;
	salePriceCents: number | null;
	/** null: not the reader's to see (the database decided). */
	purchasePriceCents: number | null;
	marginCents: number | null;
	daysInStock: number;
}

export interface StockPage {
	rows: StockRow[];
	total: number;
}

// Whitelisted ORDER BY expressions: the sort key never reaches SQL as text from the URL. `sv`
// is the view (with the site code as `site_code` once the page is chosen).
const orderBy: Record<StockSort, string> = {
	days: 'sv.days_in_stock',
	price: 'sv.sale_price_cents',
	margin: 'sv.margin_cents',
	make: 'sv.make, sv.model',
	site: 'site_code',
	mileage: 'sv.mileage_km'
};

export const maxStockLimit = 200;

export async function listStock(sql: Sql, filters: StockFilters = {}): Promise<StockPage> {
	const sort = filters.sort ?? 'days';
	const direction = filters.direction === 'asc' ? 'asc' : 'desc';
	const limit = Math.min(Math.max(filters.limit ?? 50, 1), maxStockLimit);
	const offset = Math.max(filters.offset ?? 0, 0);
	const values = [
		filters.make ?? null,
		filters.model ?? null,
		filters.energy ?? null,
		filters.status ?? null,
		filters.siteId ?? null,
		filters.minPriceCents ?? null,
		filters.maxPriceCents ?? null,
		filters.minDays ?? null,
		filters.maxDays ?? null
	];
	const where = `
		 where ($1::text is null or sv.make = $1)
		   and ($2::text is null or sv.model ilike replace(replace(replace($2, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
		   and ($3::public.energy is null or sv.energy = $3)
		   and ($4::public.vehicle_status is null or sv.status = $4)
		   and ($5::uuid is null or sv.site_id = $5)
		   and ($6::bigint is null or sv.sale_price_cents >= $6)
		   and ($7::bigint is null or sv.sale_price_cents <= $7)
		   and ($8::int is null or sv.days_in_stock >= $8)
		   and ($9::int is null or sv.days_in_stock <= $9)`;
	const order = `order by ${orderBy[sort]} ${direction} nulls last, sv.id`;
	// Where each vehicle stands (bay, open transfer) is looked up for the page's rows only.
	const { rows } = await sql.query<StockRow>(
		`with page as (
		   select sv.*, s.code as site_code
		   from public.stock_vehicles sv
		   join public.sites s on s.id = sv.site_id
		   ${where}
		   ${order}
		   limit ${limit} offset ${offset})
		 select sv.id, sv.vin, sv.plate, sv.make, sv.model, sv.energy, sv.mileage_km as "mileageKm", sv.colour, sv.status,
		        sv.site_id as "siteId", sv.site_code as "siteCode", z.code as "zoneCode", b.number as "bayNumber",
		        (sv.status = 'in_transit' or t.id is not null) as "inTransfer", ts.code as "transferToCode",
		        sv.sale_price_cents::float8 as "salePriceCents", sv.purchase_price_cents::float8 as "purchasePriceCents",
		        sv.margin_cents::float8 as "marginCents", sv.days_in_stock as "daysInStock"
		 from page sv
		 left join public.bays b on b.id = sv.bay_id
		 left join public.yard_zones z on z.id = b.zone_id
		 left join public.transfers t on t.vehicle_id = sv.id and t.status not in ('received', 'cancelled')
		 left join public.sites ts on ts.id = t.to_site_id
		 ${order}`,
		values
	);
	const total = rows.length < limit && (offset === 0 || rows.length > 0) ? offset + rows.length : await countStock(sql, where, values);
	return { rows, total };
}

async function countStock(sql: Sql, where: string, values: unknown[]): Promise<number> {
	const { rows } = await sql.query<{ n: number }>(`select count(*)::int as n from public.stock_vehicles sv ${where}`, values);
	return rows[0].n;
}

export interface StockOptions {
	makes: string[];
	sites: { id: string; code: string; name: string }[];
}

/** What the filters offer: the makes in the visible stock and the sites holding any of it. */
export async function stockOptions(sql: Sql): Promise<StockOptions> {
	const { rows: makes } = await sql.query<{ make: string }>(`select distinct make from public.stock_vehicles order by make`);
	const { rows: sites } = await sql.query<{ id: string; code: string; name: string }>(
		`select s.id, s.code, s.name from public.sites s
		 where exists (select 1 from public.stock_vehicles sv where sv.site_id = s.id)
		 order by s.code`
	);
	return { makes: makes.map((r) => r.make), sites };
}
