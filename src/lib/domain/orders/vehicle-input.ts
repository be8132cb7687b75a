/**
 * What a CSM or a client types or pastes to name vehicles, turned into VINs and plates in the
 * form the database stores (`vehicles.vin`, `vehicles.plate`). Errors are codes, never text, so
 * the UI words them in the reader's language.
 */

export type VehicleRefKind = 'vin' | 'plate';

export interface VehicleRef {
	kind: VehicleRefKind;
	value: string;
}

export type VehicleInputError = 'invalid' | 'duplicate';

/** `line` is 1-based, as an editor shows it, so the UI can point at the line to fix. */
export type VehicleInputLine =
	| { line: number; input: string; kind: VehicleRefKind; value: string }
	| { line: number; input: string; error: VehicleInputError };

// ISO 3779: 17 characters, never I, O or Q (too easily read as 1 and 0).
const vinPattern = /^[A-HJ-NPR-Z0-9]{17}$/;
// SIV (since 2009): AB-123-CD; letters never I, O or U.
const sivPattern = /^([A-HJ-NP-TV-Z]{2})(\d{3})([A-HJ-NP-TV-Z]{2})$/;
// FNI (before 2009): 1 to 4 digits, 1 to 3 letters, then the département: two digits, Corsica's
// 2A/2B, or three digits overseas (971–976).
const fniPattern = /^(\d{1,4})([A-Z]{1,3})(97[1-6]|2A|2B|\d{2})$/;

/**
 * Reads one token as a VIN or a French plate. Spaces and hyphens are dropped before matching
 * because people type plates with either, or neither.
 */
export function normaliseVehicleRef(token: string): VehicleRef | null {
	const compact = token.toUpperCase().replace(/[\s-]+/g, '');
	if (vinPattern.test(compact)) return { kind: 'vin', value: compact };
	const siv = sivPattern.exec(compact);
	if (siv) return { kind: 'plate', value: siv.slice(1).join('-') };
	const fni = fniPattern.exec(compact);
	if (fni) return { kind: 'plate', value: fni.slice(1).join('-') };
	return null;
}

/**
 * One report per token, in the order pasted. Tokens are split on new lines, commas, semicolons
 * and tabs (what spreadsheets and mail clients produce); blank tokens are skipped. A vehicle
 * named twice is reported on its later occurrence so the first one still counts.
 */
export function parseVehicleInput(text: string): VehicleInputLine[] {
	const seen = new Set<string>();
	const report: VehicleInputLine[] = [];
	text.split(/\r\n|\r|\n/).forEach((content, index) => {
		const line = index + 1;
		for (const raw of content.split(/[,;\t]/)) {
			const input = raw.trim();
			if (!input) continue;
			const ref = normaliseVehicleRef(input);
			if (!ref) {
				report.push({ line, input, error: 'invalid' });
				continue;
			}
			const key = `${ref.kind}:${ref.value}`;
			if (seen.has(key)) {
				report.push({ line, input, error: 'duplicate' });
				continue;
			}
			seen.add(key);
			report.push({ line, input, ...ref });
		}
	});
	return report;
}
