// Relative imports only: the stock bench runs this module outside SvelteKit.
import type pg from 'pg';
import { withUser, type JwtClaims, type Sql } from '../db/pool';
import { notify } from '../notify/index';
import { parseStockCsv, type StockCsvFileError, type StockCsvRow, type StockRowError } from './stock-csv';

/**
 * Imports a CSV file into one site's dealer stock as a job (public.stock_imports). The file is
 * read and every row checked before the job starts; the valid rows are then written in
 * batches, each batch one transaction as the person who imported, so row-level security
 * decides (only the site's managers and admins may start and move a job) and a failure leaves
 * whole batches only. Each batch bumps the job's counts: that update is what the change feed
 * pushes to the importer's screen as progress. Vehicles are matched on (organisation, VIN):
 * a row equal to the stock is counted unchanged, so importing the same file again writes
 * nothing. A VIN held by another site or a client is refused, never taken over.
 */

export const IMPORT_BATCH = 500;

export interface StockImportSummary {
	id: string;
	status: 'done' | 'failed';
	created: number;
	updated: number;
	unchanged: number;
	errors: number;
}

export type StartedImport =
	| { ok: true; id: string; /** Settles when the last batch is written (the route does not wait). */ finished: Promise<StockImportSummary> }
	| { ok: false; error: StockCsvFileError | 'forbidden' };

interface Existing {
	vin: string;
	vehicle_id: string;
	elsewhere: boolean;
	plate: string | null;
	make: string;
	model: string;
	energy: string;
	mileage_km: number;
	colour: string | null;
	purchase_price_cents: number | null;
	sale_price_cents: number | null;
	stocked_on: string | null;
}

const same = (row: StockCsvRow, v: Existing) =>
	row.plate === v.plate &&
	row.make === v.make &&
	row.model === v.model &&
	row.energy === v.energy &&
	row.mileageKm === v.mileage_km &&
	row.colour === v.colour &&
	row.purchasePriceCents === v.purchase_price_cents &&
	row.salePriceCents === v.sale_price_cents &&
	// No entry date in the file keeps the one the vehicle has.
	(row.stockedOn === null || row.stockedOn === v.stocked_on);

const asRecord = (row: StockCsvRow, id?: string) => ({
	id,
	vin: row.vin,
	plate: row.plate,
	make: row.make,
	model: row.model,
	energy: row.energy,
	mileage_km: row.mileageKm,
	colour: row.colour,
	purchase_price_cents: row.purchasePriceCents,
	sale_price_cents: row.salePriceCents,
	stocked_on: row.stockedOn
});

const recordset = `jsonb_to_recordset($1::jsonb) as x (id uuid, vin text, plate text, make text, model text, energy public.energy,
	mileage_km integer, colour text, purchase_price_cents bigint, sale_price_cents bigint, stocked_on date)`;

/** Writes one batch and counts it on the job; returns the ids it touched. */
async function writeBatch(sql: Sql, importId: string, siteId: string, rows: StockCsvRow[]) {
	const { rows: found } = await sql.query<Existing>(
		`select vin, vehicle_id, elsewhere, plate, make, model, energy::text as energy, mileage_km, colour,
		        purchase_price_cents::float8 as purchase_price_cents, sale_price_cents::float8 as sale_price_cents,
		        to_char(stocked_on, 'YYYY-MM-DD') as stocked_on
		   from private.stock_import_existing($1, $2::text[])`,
		[siteId, rows.map((r) => r.vin)]
	);
	const byVin = new Map(found.map((v) => [v.vin, v]));
	const created: StockCsvRow[] = [];
	const updated: ReturnType<typeof asRecord>[] = [];
	const refused: StockRowError[] = [];
	let unchanged = 0;
	for (const row of rows) {
		const existing = byVin.get(row.vin);
		if (!existing) created.push(row);
		else if (existing.elsewhere) refused.push({ line: row.line, field: 'vin', code: 'elsewhere', value: row.vin });
		else if (same(row, existing)) unchanged += 1;
		else updated.push(asRecord(row, existing.vehicle_id));
	}
	const ids: string[] = found.filter((v) => !v.elsewhere).map((v) => v.vehicle_id);
	if (created.length) {
		const { rows: inserted } = await sql.query<{ id: string }>(
			`insert into public.vehicles (organisation_id, site_id, vin, plate, make, model, energy, mileage_km, colour, status,
			                              purchase_price_cents, sale_price_cents, stocked_on)
			 select s.organisation_id, s.id, x.vin, x.plate, x.make, x.model, x.energy, x.mileage_km, x.colour, 'in_stock',
			        x.purchase_price_cents, x.sale_price_cents, coalesce(x.stocked_on, current_date)
			   from ${recordset} join public.sites s on s.id = $2
			 returning id`,
			[JSON.stringify(created.map((r) => asRecord(r))), siteId]
		);
		ids.push(...inserted.map((r) => r.id));
	}
	if (updated.length) {
		await sql.query(
			`update public.vehicles v
			    set plate = x.plate, make = x.make, model = x.model, energy = x.energy, mileage_km = x.mileage_km, colour = x.colour,
			        purchase_price_cents = x.purchase_price_cents, sale_price_cents = x.sale_price_cents,
			        stocked_on = coalesce(x.stocked_on, v.stocked_on)
			   from ${recordset}
			  where v.id = x.id`,
			[JSON.stringify(updated)]
		);
	}
	const { rowCount } = await sql.query(
		`update public.stock_imports
		    set processed_rows = processed_rows + $2, created_count = created_count + $3, updated_count = updated_count + $4,
		        unchanged_count = unchanged_count + $5, errors = errors || $6::jsonb
		  where id = $1 and status = 'running'`,
		[importId, rows.length, created.length, updated.length, unchanged, JSON.stringify(refused)]
	);
	// RLS hid the job: the person lost the right to import at this site meanwhile.
	if (rowCount !== 1) throw new Error('the import job is no longer theirs to run');
	return ids;
}

async function runImport(pool: pg.Pool, claims: JwtClaims, importId: string, siteId: string, rows: StockCsvRow[]): Promise<StockImportSummary> {
	let firstVehicle: string | undefined;
	let status: StockImportSummary['status'] = 'done';
	let failure: string | null = null;
	try {
		for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
			const ids = await withUser(pool, claims, (sql) => writeBatch(sql, importId, siteId, rows.slice(i, i + IMPORT_BATCH)));
			firstVehicle ??= ids[0];
		}
	} catch (err) {
		status = 'failed';
		failure = (err as Error).message.slice(0, 500);
		console.error(`[stock] import ${importId} failed: ${failure}`);
	}
	const summary = await withUser(pool, claims, async (sql) => {
		const { rows: done } = await sql.query<{ created: number; updated: number; unchanged: number; errors: number; file_name: string; code: string }>(
			`update public.stock_imports i set status = $2, failure = $3, finished_at = now()
			   from public.sites s where i.id = $1 and s.id = i.site_id
			 returning i.created_count as created, i.updated_count as updated, i.unchanged_count as unchanged,
			           jsonb_array_length(i.errors) as errors, i.file_name, s.code`,
			[importId, status, failure]
		);
		return done[0];
	});
	if (summary && firstVehicle) {
		const counts = { fr: `${summary.created} créés, ${summary.updated} mis à jour, ${summary.unchanged} inchangés, ${summary.errors} en erreur.`, en: `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.errors} with errors.` };
		await notify(pool, {
			kind: 'import_finished',
			recipients: [claims.sub],
			subject: { table: 'vehicles', id: firstVehicle },
			title:
				status === 'done'
					? { fr: `Import terminé · ${summary.file_name} (${summary.code})`, en: `Import finished · ${summary.file_name} (${summary.code})` }
					: { fr: `Import interrompu · ${summary.file_name} (${summary.code})`, en: `Import stopped · ${summary.file_name} (${summary.code})` },
			body: counts,
			link: `/stock/import?job=${importId}`
		}).catch((err: Error) => console.error(`[stock] import ${importId}: notification failed: ${err.message}`));
	}
	return { id: importId, status, created: summary?.created ?? 0, updated: summary?.updated ?? 0, unchanged: summary?.unchanged ?? 0, errors: summary?.errors ?? 0 };
}

/**
 * Checks the file and opens the job as the person (refused by RLS unless they manage the
 * site), then writes it in the background. The rows refused by the check are on the job from
 * the start, so the report is there while the rest is written.
 */
export async function startStockImport(
	pool: pg.Pool,
	claims: JwtClaims,
	input: { siteId: string; fileName: string; text: string }
): Promise<StartedImport> {
	const parsed = parseStockCsv(input.text);
	if (!parsed.ok) return { ok: false, error: parsed.error };
	const id = await withUser(pool, claims, async (sql) => {
		await sql.query('savepoint job');
		try {
			const { rows } = await sql.query<{ id: string }>(
				`insert into public.stock_imports (organisation_id, site_id, file_name, total_rows, errors)
				 select s.organisation_id, s.id, $2, $3, $4::jsonb from public.sites s where s.id = $1
				 returning id`,
				[input.siteId, input.fileName, parsed.rows.length, JSON.stringify(parsed.errors)]
			);
			return rows[0]?.id;
		} catch (err) {
			// 42501: the policy refused the job (not a manager of that site).
			if ((err as { code?: string }).code !== '42501') throw err;
			await sql.query('rollback to savepoint job');
			return undefined;
		}
	});
	if (!id) return { ok: false, error: 'forbidden' };
	return { ok: true, id, finished: runImport(pool, claims, id, input.siteId, parsed.rows) };
}
