import type { Sql } from '../db/pool';
import type { StockRowError } from './stock-csv';

/** Stock import jobs, read as the person: RLS shows the imports of the sites they manage. */

export interface StockImportJob {
	id: string;
	siteCode: string;
	fileName: string;
	status: 'running' | 'done' | 'failed';
	totalRows: number;
	processedRows: number;
	created: number;
	updated: number;
	unchanged: number;
	errorCount: number;
	createdAt: string;
	mine: boolean;
}

export interface StockImportDetail extends StockImportJob {
	/** The first refused rows, in file order (the count says how many there are). */
	errors: StockRowError[];
}

/** Enough refused rows to fix a file in one pass without shipping a 10,000-row report. */
export const SHOWN_ERRORS = 200;

const columns = `i.id, s.code as "siteCode", i.file_name as "fileName", i.status, i.total_rows as "totalRows",
	i.processed_rows as "processedRows", i.created_count as created, i.updated_count as updated, i.unchanged_count as unchanged,
	jsonb_array_length(i.errors) as "errorCount", i.created_at as "createdAt", i.created_by = (select auth.uid()) as mine`;

export async function recentImports(sql: Sql, limit = 10): Promise<StockImportJob[]> {
	const { rows } = await sql.query<StockImportJob>(
		`select ${columns} from public.stock_imports i join public.sites s on s.id = i.site_id order by i.created_at desc limit $1`,
		[limit]
	);
	return rows;
}

export async function importDetail(sql: Sql, id: string): Promise<StockImportDetail | null> {
	const { rows } = await sql.query<StockImportDetail>(
		`select ${columns},
		        coalesce((select jsonb_agg(e order by (e ->> 'line')::int, n)
		                  from jsonb_array_elements(i.errors) with ordinality as x (e, n) where n <= $2), '[]') as errors
		   from public.stock_imports i join public.sites s on s.id = i.site_id where i.id = $1`,
		[id, SHOWN_ERRORS]
	);
	return rows[0] ?? null;
}

/** The sites where the person may import (site manager or admin there), as the policy says. */
export async function importSites(sql: Sql): Promise<{ id: string; code: string; name: string }[]> {
	const { rows } = await sql.query<{ id: string; code: string; name: string }>(
		`select s.id, s.code, s.name from public.sites s
		  where s.id in (select private.staff_site_ids()) and private.has_site_role(s.id, '{site_manager,admin}')
		  order by s.code`
	);
	return rows;
}
