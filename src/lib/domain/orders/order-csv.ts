/**
 * An order's vehicles as a CSV file, the way rental companies and manufacturers send them: one
 * row per vehicle under a header row, comma- or semicolon-separated (French Excel writes `;`),
 * often with a byte-order mark. Columns are recognised by name in French or English, in any
 * order; unknown columns are ignored. Errors are codes, worded by the UI.
 *
 *   vin;immatriculation;marque;modele;energie;prestations
 *   VF1RJA00012345678;AB-123-CD;Renault;Clio;essence;WASH_EXT|PDI
 */
import Papa from 'papaparse';
import { normaliseVehicleRef } from './vehicle-input';

export type Energy = 'petrol' | 'diesel' | 'hybrid' | 'plugin_hybrid' | 'electric' | 'lpg';
export type CsvColumn = 'vin' | 'plate' | 'make' | 'model' | 'energy' | 'services';

export type CsvRowError =
	| 'invalid_vin'
	| 'invalid_plate'
	| 'no_vehicle'
	| 'duplicate'
	| 'invalid_energy'
	| 'invalid_service_code'
	| 'too_long'
	| 'malformed';

export type CsvFileError = 'empty' | 'no_header' | 'too_many_rows';

export interface CsvVehicleRow {
	/** Row of the file as a spreadsheet numbers it (the header is row 1). */
	line: number;
	/** What names the row in a message: its VIN, else its plate, else its raw text. */
	input: string;
	vin: string | null;
	plate: string | null;
	make: string | null;
	model: string | null;
	energy: Energy | null;
	/** Service codes as written (upper-cased); null when the cell is empty (the order's defaults apply). */
	serviceCodes: string[] | null;
}

export type CsvLine = ({ ok: true } & CsvVehicleRow) | { ok: false; line: number; input: string; error: CsvRowError; detail?: string };

export type CsvParseResult = { ok: true; lines: CsvLine[] } | { ok: false; error: CsvFileError };

/**
 * French Excel saves "CSV (séparateur : point-virgule)" in Windows-1252 and "CSV UTF-8" in
 * UTF-8: read UTF-8 strictly, and fall back to Windows-1252 when the bytes are not UTF-8.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('windows-1252').decode(bytes);
	}
}

/** More rows than one order should carry is a mistake (the wrong file), not an order. */
export const MAX_CSV_ROWS = 2000;
const MAX_TEXT = 80;

/** Header names, lower-cased without accents, spaces or punctuation. */
const headerAliases: Record<string, CsvColumn> = {
	vin: 'vin',
	numerovin: 'vin',
	numerodeserie: 'vin',
	ndeserie: 'vin',
	nserie: 'vin',
	chassis: 'vin',
	plate: 'plate',
	licenseplate: 'plate',
	registration: 'plate',
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
	services: 'services',
	service: 'services',
	prestations: 'services',
	prestation: 'services'
};

/** Energy names as people write them (simplified with `simplify`), French and English. */
export const energyAliases: Record<string, Energy> = {
	petrol: 'petrol',
	gasoline: 'petrol',
	essence: 'petrol',
	sp95: 'petrol',
	diesel: 'diesel',
	gazole: 'diesel',
	gasoil: 'diesel',
	hybrid: 'hybrid',
	hybride: 'hybrid',
	hev: 'hybrid',
	pluginhybrid: 'plugin_hybrid',
	hybriderechargeable: 'plugin_hybrid',
	phev: 'plugin_hybrid',
	electric: 'electric',
	electrique: 'electric',
	ev: 'electric',
	bev: 'electric',
	lpg: 'lpg',
	gpl: 'lpg'
};

const serviceCodePattern = /^[A-Z0-9_]{2,24}$/;

/** "Modèle", " N° de série " → "modele", "ndeserie": how names are compared. */
/** Lower case without accents, spaces or punctuation: how header cells and energies are compared. */
export function simplify(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

/** Which column each header cell names; null when the row names neither a VIN nor a plate column. */
function mapHeader(cells: string[]): (CsvColumn | null)[] | null {
	const columns = cells.map((cell) => headerAliases[simplify(cell)] ?? null);
	return columns.includes('vin') || columns.includes('plate') ? columns : null;
}

function splitServiceCodes(cell: string): string[] {
	return cell
		.split(/[|;,\s]+/)
		.map((code) => code.trim().toUpperCase())
		.filter(Boolean);
}

function readRow(cells: string[], columns: (CsvColumn | null)[], line: number, seen: Set<string>): CsvLine | null {
	const cell: Partial<Record<CsvColumn, string>> = {};
	columns.forEach((column, i) => {
		if (column && cell[column] === undefined) cell[column] = (cells[i] ?? '').trim();
	});
	const raw = cells.map((c) => c.trim()).filter(Boolean);
	if (raw.length === 0) return null;
	const input = cell.vin || cell.plate || raw.join(' ').slice(0, 40);
	const fail = (error: CsvRowError, detail?: string): CsvLine => ({ ok: false, line, input, error, detail });

	let vin: string | null = null;
	if (cell.vin) {
		const ref = normaliseVehicleRef(cell.vin);
		if (ref?.kind !== 'vin') return fail('invalid_vin');
		vin = ref.value;
	}
	let plate: string | null = null;
	if (cell.plate) {
		const ref = normaliseVehicleRef(cell.plate);
		if (ref?.kind !== 'plate') return fail('invalid_plate');
		plate = ref.value;
	}
	if (!vin && !plate) return fail('no_vehicle');

	const key = vin ? `vin:${vin}` : `plate:${plate}`;
	if (seen.has(key)) return fail('duplicate');
	seen.add(key);

	let energy: Energy | null = null;
	if (cell.energy) {
		energy = energyAliases[simplify(cell.energy)] ?? null;
		if (!energy) return fail('invalid_energy', cell.energy);
	}
	const make = cell.make || null;
	const model = cell.model || null;
	if ((make?.length ?? 0) > MAX_TEXT || (model?.length ?? 0) > MAX_TEXT) return fail('too_long');

	let serviceCodes: string[] | null = null;
	if (cell.services) {
		serviceCodes = [...new Set(splitServiceCodes(cell.services))];
		const bad = serviceCodes.find((code) => !serviceCodePattern.test(code));
		if (bad) return fail('invalid_service_code', bad);
	}
	return { ok: true, line, input: vin ?? plate ?? input, vin, plate, make, model, energy, serviceCodes };
}

/**
 * The header row decides: the separator it uses most, outside quotes. (Papa Parse's own guess
 * wants two columns on every row, blank rows included, and gives up on a one-column file.)
 */
function guessDelimiter(content: string): string {
	const header = content.split(/\r\n|\r|\n/).find((row) => row.trim()) ?? '';
	const bare = header.replace(/"[^"]*"/g, '');
	const counts = [';', ',', '\t'].map((d) => [d, bare.split(d).length - 1] as const);
	const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
	return count > 0 ? best : ',';
}

/**
 * Reads the whole file and reports every row, valid or not, so the person fixes all of them in
 * one pass. The separator is `;`, `,` or tab, as the header uses; quoted cells may hold it.
 * Blank rows are skipped but still counted, so "row 4" is row 4 in the spreadsheet.
 */
export function parseOrderCsv(text: string): CsvParseResult {
	const content = text.replace(/^\uFEFF/, '');
	if (!content.trim()) return { ok: false, error: 'empty' };
	const parsed = Papa.parse<string[]>(content, { delimiter: guessDelimiter(content), skipEmptyLines: false });
	const rows = parsed.data;
	const headerIndex = rows.findIndex((cells) => cells.some((c) => c.trim()));
	const columns = headerIndex >= 0 ? mapHeader(rows[headerIndex]) : null;
	if (!columns) return { ok: false, error: 'no_header' };
	const body = rows.slice(headerIndex + 1);
	if (body.filter((cells) => cells.some((c) => c.trim())).length > MAX_CSV_ROWS) return { ok: false, error: 'too_many_rows' };

	// An unclosed quote swallows the rest of the file into one cell: name the row where it opened.
	const malformed = new Set(parsed.errors.filter((e) => e.type === 'Quotes' && e.row !== undefined).map((e) => e.row!));
	const seen = new Set<string>();
	const lines: CsvLine[] = [];
	body.forEach((cells, i) => {
		const index = headerIndex + 1 + i;
		const line = index + 1;
		if (malformed.has(index)) {
			lines.push({ ok: false, line, input: (cells[0] ?? '').trim().slice(0, 40), error: 'malformed' });
			return;
		}
		const read = readRow(cells, columns, line, seen);
		if (read) lines.push(read);
	});
	return { ok: true, lines };
}
