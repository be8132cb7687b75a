import { describe, expect, it } from 'vitest';
import { parseDate, parseEuros, parseStockCsv } from './stock-csv';

const today = '2026-12-03';

describe('parseStockCsv', () => {
	it('reads a French file: `;`, French headers in any order, decimal commas, dd/mm/yyyy', () => {
		const file =
			'\uFEFFMarque;Modèle;VIN;Immatriculation;Énergie;Kilométrage;Couleur;Prix d’achat;Prix de vente;Date entrée\r\n' +
			'Renault;Clio;vf1rja00012345678;ab-123-cd;Essence;12 000;Blanc;12 000,00;14 990,50;15/11/2026\r\n';
		expect(parseStockCsv(file, today)).toEqual({
			ok: true,
			errors: [],
			rows: [
				{
					line: 2,
					vin: 'VF1RJA00012345678',
					plate: 'AB-123-CD',
					make: 'Renault',
					model: 'Clio',
					energy: 'petrol',
					mileageKm: 12000,
					colour: 'Blanc',
					purchasePriceCents: 1_200_000,
					salePriceCents: 1_499_050,
					stockedOn: '2026-11-15'
				}
			]
		});
	});

	it('reads an English file: `,`, English headers, decimal points, ISO dates, optional cells empty', () => {
		const file = 'vin,make,model,energy,mileage_km,sale_price,stocked_on\nVF3AAAAA012345678,Peugeot,208,electric,,"21,990.00",2026-10-01\n';
		const result = parseStockCsv(file, today);
		expect(result).toMatchObject({ ok: true, errors: [] });
		if (!result.ok) return;
		expect(result.rows[0]).toMatchObject({ vin: 'VF3AAAAA012345678', plate: null, mileageKm: 0, salePriceCents: 2_199_000, purchasePriceCents: null, stockedOn: '2026-10-01' });
	});

	it('reports every refused row with its spreadsheet row, field and reason, and keeps the good ones', () => {
		const file = [
			'vin;marque;modele;energie;prix_vente;date_entree;immatriculation',
			'VF1RJA00012345678;Renault;Clio;essence;14990;01/11/2026;',
			'',
			'VF1BAD;Renault;;vapeur;douze;31/02/2026;',
			'VF1RJA00012345678;Renault;Clio;essence;14990;01/11/2026;',
			'VF1RJA00087654321;Dacia;Spring;electrique;9990;01/01/2027;AB123',
			'VF1RJA00011111111;Dacia;Sandero;gpl;9 990;;ZZ-999-ZZ'
		].join('\n');
		const result = parseStockCsv(file, today);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.rows.map((r) => [r.line, r.vin])).toEqual([
			[2, 'VF1RJA00012345678'],
			[7, 'VF1RJA00011111111']
		]);
		expect(result.errors).toEqual([
			{ line: 4, field: 'vin', code: 'invalid_vin', value: 'VF1BAD' },
			{ line: 4, field: 'model', code: 'required', value: '' },
			{ line: 4, field: 'energy', code: 'invalid_energy', value: 'vapeur' },
			{ line: 4, field: 'sale_price', code: 'invalid_price', value: 'douze' },
			{ line: 4, field: 'stocked_on', code: 'invalid_date', value: '31/02/2026' },
			{ line: 5, field: 'vin', code: 'duplicate', value: 'VF1RJA00012345678' },
			{ line: 6, field: 'plate', code: 'invalid_plate', value: 'AB123' },
			{ line: 6, field: 'stocked_on', code: 'future_date', value: '01/01/2027' }
		]);
	});

	it('refuses a file without a VIN column, an empty one and one far too long', () => {
		expect(parseStockCsv('marque;modele\nRenault;Clio', today)).toEqual({ ok: false, error: 'no_header' });
		expect(parseStockCsv(' \n', today)).toEqual({ ok: false, error: 'empty' });
		expect(parseStockCsv('vin\n' + 'x\n'.repeat(20_001), today)).toEqual({ ok: false, error: 'too_many_rows' });
	});
});

describe('amounts and dates', () => {
	it.each([
		['14 990,50 €', 1_499_050],
		['14990.5', 1_499_050],
		['14,990.50', 1_499_050],
		['14.990', 1_499_000],
		['14990', 1_499_000],
		['0', 0],
		['-5', null],
		['12e3', null],
		['', null]
	])('%s → %s cents', (text, cents) => expect(parseEuros(text)).toBe(cents));

	it.each([
		['2026-03-31', '2026-03-31'],
		['31/03/2026', '2026-03-31'],
		['1.4.2026', '2026-04-01'],
		['31/04/2026', null],
		['2026/03/31', null]
	])('%s → %s', (text, iso) => expect(parseDate(text)).toBe(iso));
});
