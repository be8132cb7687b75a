import { getLocale } from '$lib/paraglide/runtime';

/** BCP 47 tag for Intl: French as written in France, English with day-month-year dates. */
export function intlLocale(): string {
	return getLocale() === 'en' ? 'en-GB' : 'fr-FR';
}

/**
 * Formats a calendar date given as `YYYY-MM-DD` (a Postgres `date` read as text), without
 * passing through a timestamp, so the day never shifts with the reader's time zone.
 */
export function formatDay(isoDate: string, options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' }): string {
	const [y, mo, d] = isoDate.split('-').map(Number);
	return new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, d)));
}

/** Two-letter initials for an avatar ("Omar Opérateur" → "OO"). */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/** A ratio as a percentage in the reader's typography ("14 %" in French, "14%" in English). */
export function formatPercent(value: number, total: number): string {
	const ratio = total > 0 ? value / total : 0;
	return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** An amount in cents as euros in the reader's typography ("1 234,50 €", "€1,234.50"). */
export function formatEuros(cents: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
