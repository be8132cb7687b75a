import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, MAX_CSV_ROWS, parseOrderCsv, type CsvLine } from './order-csv';

const VIN_A = 'VF1RJA00012345678';
const VIN_B = 'VR3UHZKX098765432';

function lines(text: string): CsvLine[] {
	const result = parseOrderCsv(text);
	if (!result.ok) throw new Error(`file refused: ${result.error}`);
	return result.lines;
}

describe('parseOrderCsv', () => {
	it('reads a French Excel export: semicolons, BOM, CRLF, French headers with accents', () => {
		const text = `\uFEFFVIN;Immatriculation;Marque;Modèle;Énergie;Prestations\r\n${VIN_A};ab-123-cd;Renault;Clio;Essence;WASH_EXT|pdi\r\n`;
		expect(lines(text)).toEqual([
			{
				ok: true,
				line: 2,
				input: VIN_A,
				vin: VIN_A,
				plate: 'AB-123-CD',
				make: 'Renault',
				model: 'Clio',
				energy: 'petrol',
				serviceCodes: ['WASH_EXT', 'PDI']
			}
		]);
	});

	it('reads commas, columns in any order, unknown columns ignored, services split by ; inside quotes', () => {
		const text = `plate,notes,services,vin\nEF-456-GH,"urgent, client VIP","WASH_EXT; PDI",\n,,,${VIN_B}\n`;
		const [first, second] = lines(text);
		expect(first).toMatchObject({ ok: true, line: 2, plate: 'EF-456-GH', vin: null, serviceCodes: ['WASH_EXT', 'PDI'] });
		expect(second).toMatchObject({ ok: true, line: 3, vin: VIN_B, plate: null, make: null, serviceCodes: null });
	});

	it('reports each bad row by its spreadsheet row, keeps counting across blank rows', () => {
		const text = [
			'vin;plate;make;model;energy;services',
			`${VIN_A};;Renault;Clio;;`,
			'',
			'VF1SHORT;;Renault;Clio;;',
			';AB-12;;;;',
			';;Peugeot;208;;',
			`${VIN_A.toLowerCase()};;;;;`,
			`${VIN_B};;Peugeot;e-208;vapeur;`,
			`${VIN_B.replace('98765432', '98765433')};;;;;WASH EXT!`
		].join('\n');
		expect(lines(text).map((l) => (l.ok ? [l.line, 'ok'] : [l.line, l.input, l.error]))).toEqual([
			[2, 'ok'],
			[4, 'VF1SHORT', 'invalid_vin'],
			[5, 'AB-12', 'invalid_plate'],
			[6, 'Peugeot 208', 'no_vehicle'],
			[7, VIN_A.toLowerCase(), 'duplicate'],
			[8, VIN_B, 'invalid_energy'],
			[9, VIN_B.replace('98765432', '98765433'), 'invalid_service_code']
		]);
	});

	it('maps energies written in French or English', () => {
		const text = `vin;carburant\n${VIN_A};Électrique\n${VIN_B};hybride rechargeable\nVF1RJA00012345679;GPL\n`;
		expect(lines(text).map((l) => l.ok && l.energy)).toEqual(['electric', 'plugin_hybrid', 'lpg']);
	});

	it('names an unclosed quote rather than swallowing the file silently', () => {
		const text = `vin;model\n${VIN_A};Clio\n"${VIN_B};208\n`;
		const result = lines(text);
		expect(result[0]).toMatchObject({ ok: true, line: 2 });
		expect(result[1]).toMatchObject({ ok: false, line: 3, error: 'malformed' });
	});

	it('refuses a file that is empty, has no VIN or plate column, or is far too long', () => {
		expect(parseOrderCsv('\uFEFF\r\n')).toEqual({ ok: false, error: 'empty' });
		expect(parseOrderCsv(`name;colour\nClio;red\n`)).toEqual({ ok: false, error: 'no_header' });
		expect(parseOrderCsv(`${VIN_A}\n${VIN_B}\n`)).toEqual({ ok: false, error: 'no_header' });
		const many = ['plate', ...Array.from({ length: MAX_CSV_ROWS + 1 }, () => 'AB-123-CD')].join('\n');
		expect(parseOrderCsv(many)).toEqual({ ok: false, error: 'too_many_rows' });
	});
});

describe('decodeCsvBytes', () => {
	it('reads UTF-8, and Windows-1252 as French Excel saves plain CSV', () => {
		expect(decodeCsvBytes(new TextEncoder().encode('modèle;Citroën'))).toBe('modèle;Citroën');
		expect(decodeCsvBytes(new Uint8Array([0x6d, 0x6f, 0x64, 0xe8, 0x6c, 0x65]))).toBe('modèle');
	});
});
