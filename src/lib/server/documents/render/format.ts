import type { Locale } from '../model';

/**
 * Numbers, money and dates as printed on documents. Everything goes through `pdfSafe`, because
 * the PDF uses the standard Helvetica font (present in every reader, nothing to embed), which
 * only knows the WinAnsi character set.
 */

const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Characters beyond Latin-1 that WinAnsi still encodes (pdfkit maps them itself). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Look-alikes for characters Intl and users produce that WinAnsi lacks. */
const REPLACEMENTS: Record<string, string> = {
	'\u202f': ' ', // narrow no-break space: Intl's fr group separator and space before "%"
	'\u00a0': ' ', // no-break space: kept by WinAnsi, but extracted text reads better with a plain one
	'\u2009': ' ',
	'\u2007': ' ',
	'\u2010': '-',
	'\u2011': '-',
	'\u2212': '-',
	'\u2192': '->',
	'\u2264': '<=',
	'\u2265': '>=',
	'\u2116': 'N°'
};

/** `text` with only characters Helvetica can draw; accents it lacks are dropped, the rest become "?". */
export function pdfSafe(text: string): string {
	let out = '';
	for (const char of text.normalize('NFC')) {
		const code = char.codePointAt(0) ?? 0;
		if (char === '\n' || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff && code !== 0xa0)) out += char;
		else if (char in REPLACEMENTS) out += REPLACEMENTS[char];
		else if (WIN_ANSI_EXTRA.has(char)) out += char;
		else if (char === '\t' || char === '\r') out += ' ';
		else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
		else {
			const base = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
			out += base && [...base].every((c) => (c.codePointAt(0) ?? 0) < 0x100) ? base : '?';
		}
	}
	return out;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: Locale, fractionDigits: number): Intl.NumberFormat {
	const key = `${locale}:${fractionDigits}`;
	let format = moneyFormats.get(key);
	if (!format) {
		format = new Intl.NumberFormat(INTL_LOCALE[locale], {
			style: 'currency',
			currency: 'EUR',
			minimumFractionDigits: fractionDigits,
			maximumFractionDigits: fractionDigits
		});
		moneyFormats.set(key, format);
	}
	return format;
}

/** `123450` → "1 234,50 €" in French, "€1,234.50" in English. */
export function formatMoney(cents: number, locale: Locale): string {
	return pdfSafe(moneyFormat(locale, 2).format(cents / 100));
}

/** Whole euros without decimals, as a share capital is written: "50 000 €". */
export function formatCapital(cents: number, locale: Locale): string {
	return pdfSafe(moneyFormat(locale, cents % 100 === 0 ? 0 : 2).format(cents / 100));
}

/** `2000` basis points → "20 %" in French, "20%" in English. */
export function formatRate(bp: number, locale: Locale): string {
	const format = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits: 2 });
	return pdfSafe(format.format(bp / 10_000));
}

export function formatNumber(value: number, locale: Locale, fractionDigits = 2): string {
	return pdfSafe(new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: fractionDigits }).format(value));
}

/** Midnight UTC of an ISO `yyyy-mm-dd` date, or null when it is not one. */
export function parseIsoDate(iso: string): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
	const date = new Date(`${iso}T00:00:00Z`);
	return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : date;
}

/** "12 mars 2025" / "12 March 2025"; an unparsable date is printed as given. */
export function formatDate(iso: string, locale: Locale): string {
	const date = parseIsoDate(iso);
	if (!date) return pdfSafe(iso);
	return pdfSafe(new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(date));
}
