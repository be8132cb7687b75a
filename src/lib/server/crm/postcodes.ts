import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Postcode → [lat, lon], built by scripts/build-postcodes.ts (see data/crm/README.md). */
export const POSTCODES_FILE = path.join(process.cwd(), 'data', 'crm', 'postcodes.json.gz');

let table: Map<string, [number, number]> | undefined;

/** Read once, on the first lookup (≈ 5,000 postcodes, 40 KiB), then kept in memory. */
function postcodes(): Map<string, [number, number]> {
	table ??= new Map(Object.entries(JSON.parse(gunzipSync(readFileSync(POSTCODES_FILE)).toString('utf8')) as Record<string, [number, number]>));
	return table;
}

/** The mean centre of the postcode's communes, or null when the postcode is unknown or unplaced. */
export function coordinatesOf(postcode: string | null | undefined): { lat: number; lon: number } | null {
	if (!postcode) return null;
	const found = postcodes().get(postcode.trim());
	return found ? { lat: found[0], lon: found[1] } : null;
}
