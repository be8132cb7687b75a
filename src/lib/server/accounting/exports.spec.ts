import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fecExport, fecFileName, invoicesCsv } from './exports';
import { creditNote, invoice } from './fixtures';
import type { AccountingInvoice } from './model';

const martin: AccountingInvoice = {
	id: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
	kind: 'invoice',
	number: 'F-LYO-2025-0050',
	issuedOn: '2025-03-31',
	dueOn: '2025-04-30',
	creditsNumber: null,
	site: invoice.site,
	customer: { id: 'e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b', name: 'Carrosserie Martin', email: null, remoteId: null },
	lines: [{ description: 'Convoyage 1,5 jour', quantity: 1.5, unitPriceCents: 68583, discountCents: 0, vatRateBp: 2000, netCents: 102875, vatCents: 20575 }],
	netCents: 102875,
	vatCents: 20575,
	grossCents: 123450
};

describe('invoice lines as CSV', () => {
	it('writes French: BOM, semicolons, decimal commas, credit notes negative', () => {
		const csv = invoicesCsv([invoice, creditNote], 'fr');

		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.slice(1).split('\r\n')).toEqual([
			'Numéro;Type;Date;Échéance;Client;Site;Désignation;Quantité;Prix unitaire HT;Remise;Taux TVA (%);Montant HT;TVA;Montant TTC',
			'F-LYO-2025-0042;Facture;2025-03-14;2025-04-13;Garage du Rhône;Relais Lyon SAS;Convoyage Lyon → Paris;2;450,00;50,00;20;850,00;170,00;1020,00',
			'F-LYO-2025-0042;Facture;2025-03-14;2025-04-13;Garage du Rhône;Relais Lyon SAS;Lavage intérieur;1;39,50;0,00;20;39,50;7,90;47,40',
			'F-LYO-2025-0042;Facture;2025-03-14;2025-04-13;Garage du Rhône;Relais Lyon SAS;Frais de dossier;1;10,00;0,00;5,5;10,00;0,55;10,55',
			'A-LYO-2025-0003;Avoir;2025-03-20;;Garage du Rhône;Relais Lyon SAS;Lavage intérieur non réalisé;1;39,50;0,00;20;-39,50;-7,90;-47,40',
			''
		]);
	});

	it('writes English: commas, decimal dots, quoted text with commas, formulas defused', () => {
		const risky = { ...martin, lines: [{ ...martin.lines[0], description: '=HYPERLINK("http://x")' }] };
		const csv = invoicesCsv([martin, risky], 'en');
		const [header, row, defused] = csv.slice(1).split('\r\n');

		expect(header).toBe('Number,Kind,Date,Due date,Customer,Site,Description,Quantity,Unit price,Discount,VAT rate (%),Net,VAT,Gross');
		expect(row).toBe('F-LYO-2025-0050,Invoice,2025-03-31,2025-04-30,Carrosserie Martin,Relais Lyon SAS,"Convoyage 1,5 jour",1.5,685.83,0.00,20,1028.75,205.75,1234.50');
		expect(defused).toContain(`"'=HYPERLINK(""http://x"")"`);

		const parsed = Papa.parse<string[]>(csv.slice(1).trim(), { delimiter: ',' });
		expect(parsed.errors).toEqual([]);
		expect(parsed.data.every((fields) => fields.length === 14)).toBe(true);
		expect(parsed.data[1][6]).toBe('Convoyage 1,5 jour');
	});

	it('keeps text with semicolons in one French column', () => {
		const quoted = { ...creditNote, customer: { ...creditNote.customer, name: 'Garage "du Rhône"; Lyon' } };
		const parsed = Papa.parse<string[]>(invoicesCsv([quoted], 'fr').slice(1).trim(), { delimiter: ';' });
		expect(parsed.data[1][4]).toBe('Garage "du Rhône"; Lyon');
		expect(parsed.data[1]).toHaveLength(14);
	});
});

describe('FEC', () => {
	const fec = fecExport([martin, creditNote, invoice], { validatedOn: '2025-04-05' });
	const [header, ...rows] = fec.replace(/\r\n$/, '').split('\r\n');
	const entries = rows.map((row) => row.split('\t'));
	const cents = (amount: string) => {
		expect(amount).toMatch(/^\d+,\d{2}$/);
		return Number(amount.replace(',', ''));
	};

	it('has the 18 mandatory columns in order, tab-separated', () => {
		expect(header).toBe(
			'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise'
		);
		expect(entries.every((fields) => fields.length === 18)).toBe(true);
	});

	it('books an invoice: customer debited the gross, revenue and VAT credited per rate', () => {
		expect(entries.filter((fields) => fields[2] === 'VE000001')).toEqual([
			['VE', 'Ventes', 'VE000001', '20250314', '411000', 'Clients', '411C1A2B3C400', 'Garage du Rhône', 'F-LYO-2025-0042', '20250314', 'Facture F-LYO-2025-0042 Garage du Rhône', '1077,95', '0,00', '', '', '20250405', '', ''],
			['VE', 'Ventes', 'VE000001', '20250314', '706000', 'Prestations de services', '', '', 'F-LYO-2025-0042', '20250314', 'Facture F-LYO-2025-0042 Garage du Rhône HT 20 %', '0,00', '889,50', '', '', '20250405', '', ''],
			['VE', 'Ventes', 'VE000001', '20250314', '706000', 'Prestations de services', '', '', 'F-LYO-2025-0042', '20250314', 'Facture F-LYO-2025-0042 Garage du Rhône HT 5,5 %', '0,00', '10,00', '', '', '20250405', '', ''],
			['VE', 'Ventes', 'VE000001', '20250314', '445710', 'TVA collectée', '', '', 'F-LYO-2025-0042', '20250314', 'Facture F-LYO-2025-0042 Garage du Rhône TVA 20 %', '0,00', '177,90', '', '', '20250405', '', ''],
			['VE', 'Ventes', 'VE000001', '20250314', '445710', 'TVA collectée', '', '', 'F-LYO-2025-0042', '20250314', 'Facture F-LYO-2025-0042 Garage du Rhône TVA 5,5 %', '0,00', '0,55', '', '', '20250405', '', '']
		]);
	});

	it('numbers entries in date order and reverses a credit note', () => {
		expect([...new Set(entries.map((fields) => `${fields[2]} ${fields[8]}`))]).toEqual([
			'VE000001 F-LYO-2025-0042',
			'VE000002 A-LYO-2025-0003',
			'VE000003 F-LYO-2025-0050'
		]);
		const credit = entries.filter((fields) => fields[2] === 'VE000002').map((fields) => [fields[4], fields[10], fields[11], fields[12]]);
		expect(credit).toEqual([
			['411000', 'Avoir A-LYO-2025-0003 Garage du Rhône', '0,00', '47,40'],
			['706000', 'Avoir A-LYO-2025-0003 Garage du Rhône HT 20 %', '39,50', '0,00'],
			['445710', 'Avoir A-LYO-2025-0003 Garage du Rhône TVA 20 %', '7,90', '0,00']
		]);
	});

	it('writes amounts with a decimal comma and no thousands separator', () => {
		const customerLine = entries.find((fields) => fields[2] === 'VE000003' && fields[4] === '411000');
		expect(customerLine?.slice(6, 13)).toEqual(['411E0F1A2B3C4', 'Carrosserie Martin', 'F-LYO-2025-0050', '20250331', 'Facture F-LYO-2025-0050 Carrosserie Martin', '1234,50', '0,00']);
	});

	it('balances every entry, and its sums are the invoice totals', () => {
		for (const source of [invoice, creditNote, martin]) {
			const lines = entries.filter((fields) => fields[8] === source.number);
			const debit = lines.reduce((sum, fields) => sum + cents(fields[11]), 0);
			const credit = lines.reduce((sum, fields) => sum + cents(fields[12]), 0);
			expect(debit).toBe(credit);
			expect(debit).toBe(source.grossCents);
			const on = (account: string) => lines.filter((fields) => fields[4] === account).reduce((sum, fields) => sum + cents(fields[11]) + cents(fields[12]), 0);
			expect(on('411000')).toBe(source.grossCents);
			expect(on('706000')).toBe(source.netCents);
			expect(on('445710')).toBe(source.vatCents);
		}
	});

	it('uses the accounts and journal it is given', () => {
		const custom = fecExport([martin], {
			journalCode: 'VT',
			journalLabel: 'Journal des ventes',
			revenueAccount: '706100',
			vatAccount: '445711',
			customerAccountPrefix: '4110',
			validatedOn: '2025-04-05'
		});
		const fields = custom.split('\r\n').slice(1, 4).map((row) => row.split('\t').slice(0, 7));
		expect(fields.map((f) => [f[0], f[1], f[2], f[4], f[6]])).toEqual([
			['VT', 'Journal des ventes', 'VT000001', '411000', '4110E0F1A2B3C4'],
			['VT', 'Journal des ventes', 'VT000001', '706100', ''],
			['VT', 'Journal des ventes', 'VT000001', '445711', '']
		]);
	});

	it('refuses an invoice whose lines do not add up, rather than write it unbalanced', () => {
		expect(() => fecExport([{ ...martin, grossCents: 123451 }], { validatedOn: '2025-04-05' })).toThrow(/F-LYO-2025-0050: lines add up to 102875 net \+ 20575 VAT/);
	});

	it('keeps tabs and line breaks out of labels', () => {
		const messy = fecExport([{ ...martin, customer: { ...martin.customer, name: 'Carrosserie\tMartin\r\nLyon' } }], { validatedOn: '2025-04-05' });
		expect(messy.replace(/\r\n$/, '').split('\r\n').every((row) => row.split('\t').length === 18)).toBe(true);
	});

	it('names the file {SIREN}FEC{closing date}.txt', () => {
		expect(fecFileName('123 456 789', '2025-12-31')).toBe('123456789FEC20251231.txt');
		expect(() => fecFileName('12345', '2025-12-31')).toThrow(/9 digits/);
	});
});
