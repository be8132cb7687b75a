import Papa from 'papaparse';
import type { AccountingInvoice } from './model';

/*
 * Files for the accountant: a spreadsheet of invoice lines, and the French FEC ledger file.
 * Amounts stay integer cents until they are written, so nothing here rounds.
 */

type Locale = 'fr' | 'en';

const CSV_HEADERS: Record<Locale, string[]> = {
	fr: ['Numéro', 'Type', 'Date', 'Échéance', 'Client', 'Site', 'Désignation', 'Quantité', 'Prix unitaire HT', 'Remise', 'Taux TVA (%)', 'Montant HT', 'TVA', 'Montant TTC'],
	en: ['Number', 'Kind', 'Date', 'Due date', 'Customer', 'Site', 'Description', 'Quantity', 'Unit price', 'Discount', 'VAT rate (%)', 'Net', 'VAT', 'Gross']
};
const KIND_LABELS: Record<Locale, Record<AccountingInvoice['kind'], string>> = {
	fr: { invoice: 'Facture', credit_note: 'Avoir' },
	en: { invoice: 'Invoice', credit_note: 'Credit note' }
};

/**
 * Text Excel would run as a formula gets a leading quote; a plain negative amount such as
 * `-12,50` does not, so it stays a number.
 */
export const FORMULA = /^[=+@\t\r]|^-(?!\d+(?:[.,]\d+)?$)/;

/**
 * One row per invoice line, for Excel: `;` and decimal comma in French, `,` and dot in English,
 * UTF-8 with a BOM so Excel reads the accents. Net, VAT and gross are negative on credit notes,
 * so a column sum is the turnover; quantity, unit price and discount are as printed.
 */
export function invoicesCsv(invoices: AccountingInvoice[], locale: Locale): string {
	const decimal = locale === 'fr' ? ',' : '.';
	const rows = invoices.flatMap((invoice) => {
		const sign = invoice.kind === 'credit_note' ? -1 : 1;
		return invoice.lines.map((line) => [
			invoice.number,
			KIND_LABELS[locale][invoice.kind],
			invoice.issuedOn,
			invoice.dueOn ?? '',
			invoice.customer.name,
			invoice.site.legalName,
			line.description,
			String(line.quantity).replace('.', decimal),
			formatCents(line.unitPriceCents, decimal),
			formatCents(line.discountCents, decimal),
			String(line.vatRateBp / 100).replace('.', decimal),
			formatCents(sign * line.netCents, decimal),
			formatCents(sign * line.vatCents, decimal),
			formatCents(sign * (line.netCents + line.vatCents), decimal)
		]);
	});
	const csv = Papa.unparse([CSV_HEADERS[locale], ...rows], {
		delimiter: locale === 'fr' ? ';' : ',',
		newline: '\r\n',
		escapeFormulae: FORMULA
	});
	return `\uFEFF${csv}\r\n`;
}

/** The 18 columns of article A47 A-1 of the Livre des procédures fiscales, in order. */
export const FEC_COLUMNS = [
	'JournalCode',
	'JournalLib',
	'EcritureNum',
	'EcritureDate',
	'CompteNum',
	'CompteLib',
	'CompAuxNum',
	'CompAuxLib',
	'PieceRef',
	'PieceDate',
	'EcritureLib',
	'Debit',
	'Credit',
	'EcritureLet',
	'DateLet',
	'ValidDate',
	'Montantdevise',
	'Idevise'
] as const;

export interface FecOptions {
	journalCode?: string;
	journalLabel?: string;
	revenueAccount?: string;
	revenueAccountLabel?: string;
	vatAccount?: string;
	vatAccountLabel?: string;
	/** The customer control account is the prefix padded to 6 digits (411000); each customer's auxiliary account is the prefix and a code. */
	customerAccountPrefix?: string;
	/** ISO date the entries were validated (ValidDate). */
	validatedOn: string;
}

/**
 * The sales journal as an FEC (Fichier des Écritures Comptables): tab-separated, a header line,
 * dates YYYYMMDD, amounts with a decimal comma. One balanced entry per invoice, in date order:
 * the customer debited the gross amount, revenue and collected VAT credited per VAT rate. A
 * credit note is the same entry with the sides swapped. An invoice whose lines do not add up to
 * its totals is refused rather than written unbalanced.
 */
export function fecExport(invoices: AccountingInvoice[], options: FecOptions): string {
	const {
		journalCode = 'VE',
		journalLabel = 'Ventes',
		revenueAccount = '706000',
		revenueAccountLabel = 'Prestations de services',
		vatAccount = '445710',
		vatAccountLabel = 'TVA collectée',
		customerAccountPrefix = '411',
		validatedOn
	} = options;
	const validDate = compactDate(validatedOn);
	const ordered = [...invoices].sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.number.localeCompare(b.number));
	const lines: string[][] = [[...FEC_COLUMNS]];

	ordered.forEach((invoice, index) => {
		checkTotals(invoice);
		const entryNumber = `${journalCode}${String(index + 1).padStart(6, '0')}`;
		const date = compactDate(invoice.issuedOn);
		const label = `${invoice.kind === 'credit_note' ? 'Avoir' : 'Facture'} ${invoice.number} ${invoice.customer.name}`;
		// Positive is a debit. An invoice debits the customer and credits revenue and VAT.
		const sign = invoice.kind === 'credit_note' ? -1 : 1;
		const entry = (account: string, accountLabel: string, aux: [string, string] | null, text: string, signedCents: number) => [
			journalCode,
			journalLabel,
			entryNumber,
			date,
			account,
			accountLabel,
			aux?.[0] ?? '',
			aux?.[1] ?? '',
			invoice.number,
			date,
			text,
			formatCents(Math.max(signedCents, 0), ','),
			formatCents(Math.max(-signedCents, 0), ','),
			'',
			'',
			validDate,
			'',
			''
		];

		const customerAux: [string, string] = [`${customerAccountPrefix}${customerCode(invoice.customer.id)}`, invoice.customer.name];
		lines.push(entry(customerAccountPrefix.padEnd(6, '0'), 'Clients', customerAux, label, sign * invoice.grossCents));
		const rates = byRate(invoice);
		for (const [rateBp, sums] of rates) {
			if (sums.net !== 0) lines.push(entry(revenueAccount, revenueAccountLabel, null, `${label} HT ${percent(rateBp)}`, -sign * sums.net));
		}
		for (const [rateBp, sums] of rates) {
			if (sums.vat !== 0) lines.push(entry(vatAccount, vatAccountLabel, null, `${label} TVA ${percent(rateBp)}`, -sign * sums.vat));
		}
	});

	return lines.map((fields) => fields.map(fecText).join('\t')).join('\r\n') + '\r\n';
}

/** `{SIREN}FEC{YYYYMMDD}.txt`, the name the tax administration expects, dated by the closing of the fiscal year. */
export function fecFileName(siren: string, closingDate: string): string {
	const digits = siren.replace(/\s/g, '');
	if (!/^\d{9}$/.test(digits)) throw new Error(`a SIREN has 9 digits: ${JSON.stringify(siren)}`);
	return `${digits}FEC${compactDate(closingDate)}.txt`;
}

/** 123450 → `1234,50`; no thousands separator, as the FEC and spreadsheets want. */
function formatCents(cents: number, decimal: string): string {
	if (!Number.isInteger(cents)) throw new Error(`amount in cents must be an integer: ${cents}`);
	const abs = Math.abs(cents);
	return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}${decimal}${String(abs % 100).padStart(2, '0')}`;
}

function compactDate(isoDate: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`not an ISO date: ${JSON.stringify(isoDate)}`);
	return isoDate.replaceAll('-', '');
}

/** Net and VAT per VAT rate, highest rate first. */
function byRate(invoice: AccountingInvoice): [number, { net: number; vat: number }][] {
	const sums = new Map<number, { net: number; vat: number }>();
	for (const line of invoice.lines) {
		const sum = sums.get(line.vatRateBp) ?? { net: 0, vat: 0 };
		sum.net += line.netCents;
		sum.vat += line.vatCents;
		sums.set(line.vatRateBp, sum);
	}
	return [...sums].sort(([a], [b]) => b - a);
}

function checkTotals(invoice: AccountingInvoice) {
	const net = invoice.lines.reduce((total, line) => total + line.netCents, 0);
	const vat = invoice.lines.reduce((total, line) => total + line.vatCents, 0);
	if (net !== invoice.netCents || vat !== invoice.vatCents || net + vat !== invoice.grossCents) {
		throw new Error(
			`invoice ${invoice.number}: lines add up to ${net} net + ${vat} VAT, the invoice says ${invoice.netCents} + ${invoice.vatCents} = ${invoice.grossCents}`
		);
	}
}

/** A stable auxiliary account code from our client uuid: its first 10 hex digits (13 characters with the prefix). */
function customerCode(customerId: string): string {
	return customerId.replaceAll('-', '').slice(0, 10).toUpperCase();
}

function percent(rateBp: number): string {
	return `${String(rateBp / 100).replace('.', ',')} %`;
}

/** A tab or line break inside a label would break the columns. */
function fecText(value: string): string {
	return value.replace(/[\t\r\n]+/g, ' ');
}
