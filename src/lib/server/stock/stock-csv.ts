/**
 * A site's dealer stock as a CSV file, as a DMS or a spreadsheet exports it: a header row, then
 * one vehicle per row, `;` (French Excel) or `,` separated, headers in French or English in any
 * order, prices in euros with a decimal comma or point, dates as 2026-03-31 or 31/03/2026.
 * Each row is checked by a Zod schema; a refused row is reported (row, field, code) and the
 * others still go in. Codes, not text: the page words them in the reader's language.
 *
 *   vin;immatriculation;marque;modele;energie;kilometrage;couleur;prix_achat;prix_vente;date_entree
 *   VF1RJA00012345678;AB-123-CD;Renault;Clio;essence;12000;Blanc;12 000,00;14 990,00;15/11/2026
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { decodeCsvBytes } from '../../domain/orders/order-csv';
import { normaliseVehicleRef } from '../../domain/orders/vehicle-input';
import { energies, type Energy } from '../../components/stock/options';
import { energyAliases, simplify } from '../../domain/orders/order-csv';

export { decodeCsvBytes };

export const stockCsvFields = [
	'vin',
	'plate',
	'make',
	'model',
	'energy',
	'mileage_km',
	'colour',
	'purchase_price',
	'sale_price',
	'stocked_on'
] as const;
export type StockCsvField = (typeof stockCsvFields)[number];

export const stockRowErrors = [
	'required',
	'invalid_vin',
	'invalid_plate',
	'invalid_energy',
	'invalid_number',
	'invalid_price',
	'invalid_date',
	'future_date',
	'too_long',
	'duplicate',
	'elsewhere'
] as const;
export type StockRowErrorCode = (typeof stockRowErrors)[number];

/** One refused row: the spreadsheet's row number (header = 1), the field, why, and what was written. */
export interface StockRowError {
	line: number;
	field: StockCsvField | null;
	code: StockRowErrorCode;
	value: string;
}

export interface StockCsvRow {
	line: number;
	vin: string;
	plate: string | null;
	make: string;
	model: string;
	energy: Energy;
	mileageKm: number;
	colour: string | null;
	purchasePriceCents: number | null;
	salePriceCents: number | null;
	/** ISO date, or null (then the vehicle's arrival counts as its entry). */
	stockedOn: string | null;
}

export type StockCsvFileError = 'empty' | 'no_header' | 'too_many_rows';
export type StockCsvResult = { ok: true; rows: StockCsvRow[]; errors: StockRowError[] } | { ok: false; error: StockCsvFileError };

/** A site's whole stock fits; a bigger file is the wrong file. */
export const MAX_STOCK_CSV_ROWS = 20_000;

/** Header names, lower-cased without accents, spaces or punctuation. */
const headerAliases: Record<string, StockCsvField> = {
	vin: 'vin',
	numerovin: 'vin',
	numerodeserie: 'vin',
	chassis: 'vin',
	plate: 'plate',
	registration: 'plate',
	licenseplate: 'plate',
	immatriculation: 'plate',
	immat: 'plate',
	plaque: 'plate',
	make: 'make',
	brand: 'make',
	marque: 'make',
	model: 'model',
	modele: 'model',
	energy: 'energy',
	fuel: 'energy',
	energie: 'energy',
	carburant: 'energy',
	mileagekm: 'mileage_km',
	mileage: 'mileage_km',
	odometer: 'mileage_km',
	km: 'mileage_km',
	kilometrage: 'mileage_km',
	kilometragekm: 'mileage_km',
	colour: 'colour',
	color: 'colour',
	couleur: 'colour',
	purchaseprice: 'purchase_price',
	purchasepriceeur: 'purchase_price',
	prixachat: 'purchase_price',
	prixdachat: 'purchase_price',
	prixachateur: 'purchase_price',
	saleprice: 'sale_price',
	salepriceeur: 'sale_price',
	prixvente: 'sale_price',
	prixdevente: 'sale_price',
	prixventeeur: 'sale_price',
	stockedon: 'stocked_on',
	instocksince: 'stocked_on',
	dateentree: 'stocked_on',
	entreestock: 'stocked_on',
	dateentreestock: 'stocked_on',
	dateentreeenstock: 'stocked_on'
};

/** "14 990,50 €", "14990.5", "14,990.50" → cents; null when it is not an amount. */
export function parseEuros(text: string): number | null {
	const compact = text.replace(/[\s\u00a0\u202f€]/g, '');
	if (!/^\d[\d.,]*$/.test(compact)) return null;
	const lastSep = Math.max(compact.lastIndexOf(','), compact.lastIndexOf('.'));
	const decimals = lastSep >= 0 && compact.length - lastSep - 1 <= 2 ? compact.slice(lastSep + 1) : '';
	const whole = (decimals || lastSep === compact.length - 1 ? compact.slice(0, lastSep) : compact).replace(/[.,]/g, '');
	if (!whole) return null;
	const cents = Number(whole) * 100 + Number(decimals.padEnd(2, '0') || 0);
	return Number.isSafeInteger(cents) ? cents : null;
}

/** "2026-03-31" or "31/03/2026" (also 31.03.2026, 31-03-2026) → ISO; null otherwise. */
export function parseDate(text: string): string | null {
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
	const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
	if (!y) return null;
	const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
	return date.toISOString().slice(0, 10);
}

const optional = (cell: string | undefined) => (cell ? cell : undefined);
const text = (max: number) => z.string().min(1, 'required').max(max, 'too_long');

/** One row's cells (trimmed, empty ones absent) into a vehicle, or the first problem per field. */
function rowSchema(today: string) {
	return z.object({
		vin: z
			.string('required')
			.transform((v) => normaliseVehicleRef(v))
			.refine((ref) => ref?.kind === 'vin', 'invalid_vin')
			.transform((ref) => ref!.value),
		plate: z
			.string()
			.transform((v) => normaliseVehicleRef(v))
			.refine((ref) => ref?.kind === 'plate', 'invalid_plate')
			.transform((ref) => ref!.value)
			.optional(),
		make: text(60),
		model: text(60),
		energy: z
			.string('required')
			.transform((v) => energyAliases[simplify(v)] ?? (v as Energy))
			.pipe(z.enum(energies, 'invalid_energy')),
		mileage_km: z
			.string()
			.transform((v) => Number(v.replace(/[\s\u00a0\u202f]/g, '')))
			.pipe(z.number('invalid_number').int('invalid_number').min(0, 'invalid_number').max(2_000_000, 'invalid_number'))
			.optional(),
		colour: text(40).optional(),
		purchase_price: z.string().transform(parseEuros).pipe(z.number('invalid_price').max(100_000_000_00, 'invalid_price')).optional(),
		sale_price: z.string().transform(parseEuros).pipe(z.number('invalid_price').max(100_000_000_00, 'invalid_price')).optional(),
		stocked_on: z
			.string()
			.transform(parseDate)
			.pipe(z.string('invalid_date').refine((d) => d <= today, 'future_date'))
			.optional()
	});
}

/** The header row decides the separator: the one it uses most, outside quotes. */
function guessDelimiter(content: string): string {
	const header = content.split(/\r\n|\r|\n/).find((row) => row.trim()) ?? '';
	const bare = header.replace(/"[^"]*"/g, '');
	const counts = [';', ',', '\t'].map((d) => [d, bare.split(d).length - 1] as const);
	const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
	return count > 0 ? best : ',';
}

/**
 * Reads the whole file and reports every refused row. Blank rows are skipped but counted, so
 * "row 4" is row 4 in the spreadsheet; a VIN already met earlier in the file is refused.
 */
export function parseStockCsv(input: string, today = new Date().toISOString().slice(0, 10)): StockCsvResult {
	const content = input.replace(/^\uFEFF/, '');
	if (!content.trim()) return { ok: false, error: 'empty' };
	const parsed = Papa.parse<string[]>(content, { delimiter: guessDelimiter(content), skipEmptyLines: false });
	const headerIndex = parsed.data.findIndex((cells) => cells.some((c) => c.trim()));
	const columns = parsed.data[headerIndex].map((cell) => headerAliases[simplify(cell)] ?? null);
	if (!columns.includes('vin')) return { ok: false, error: 'no_header' };
	const body = parsed.data.slice(headerIndex + 1);
	if (body.filter((cells) => cells.some((c) => c.trim())).length > MAX_STOCK_CSV_ROWS) return { ok: false, error: 'too_many_rows' };

	const schema = rowSchema(today);
	const rows: StockCsvRow[] = [];
	const errors: StockRowError[] = [];
	const seen = new Set<string>();
	body.forEach((cells, i) => {
		if (!cells.some((c) => c.trim())) return;
		const line = headerIndex + i + 2;
		const cell: Partial<Record<StockCsvField, string>> = {};
		columns.forEach((field, c) => {
			if (field && cell[field] === undefined) cell[field] = optional((cells[c] ?? '').trim());
		});
		const result = schema.safeParse(cell);
		if (!result.success) {
			const fields = new Set<string>();
			for (const issue of result.error.issues) {
				const field = String(issue.path[0]) as StockCsvField;
				if (fields.has(field)) continue;
				fields.add(field);
				const code = (stockRowErrors as readonly string[]).includes(issue.message) ? (issue.message as StockRowErrorCode) : 'required';
				errors.push({ line, field, code, value: (cell[field] ?? '').slice(0, 60) });
			}
			return;
		}
		const v = result.data;
		if (seen.has(v.vin)) {
			errors.push({ line, field: 'vin', code: 'duplicate', value: v.vin });
			return;
		}
		seen.add(v.vin);
		rows.push({
			line,
			vin: v.vin,
			plate: v.plate ?? null,
			make: v.make,
			model: v.model,
			energy: v.energy,
			mileageKm: v.mileage_km ?? 0,
			colour: v.colour ?? null,
			purchasePriceCents: v.purchase_price ?? null,
			salePriceCents: v.sale_price ?? null,
			stockedOn: v.stocked_on ?? null
		});
	});
	return { ok: true, rows, errors };
}
