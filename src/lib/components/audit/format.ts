import type { AuditEntry } from '$lib/server/audit';

/**
 * Turning audit rows into what a person reads: which fields changed, and their values in the
 * reader's typography (cents as euros, rates as percentages, dates as dates). Pure, with the
 * locale passed in, so the timeline and the search page print the same thing.
 */

export type ReaderLocale = 'fr' | 'en';

export interface Change {
	key: string;
	before: unknown;
	after: unknown;
}

/** Columns that say nothing to a reader of a change: the object's own id and bookkeeping. */
const QUIET = new Set(['id', 'organisation_id', 'created_at', 'updated_at']);

/**
 * The fields an entry is about. An update records only what changed (before and after); a
 * creation or deletion records the whole row, of which the bookkeeping columns are left out.
 */
export function changesOf(entry: Pick<AuditEntry, 'op' | 'before' | 'after'>): Change[] {
	const before = entry.before ?? {};
	const after = entry.after ?? {};
	const keys = entry.op === 'update' ? Object.keys({ ...before, ...after }) : Object.keys(entry.op === 'insert' ? after : before).filter((k) => !QUIET.has(k));
	return keys.sort().map((key) => ({ key, before: before[key] ?? null, after: after[key] ?? null }));
}

const intl: Record<ReaderLocale, string> = { fr: 'fr-FR', en: 'en-GB' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 160;

/** A Postgres timestamptz as text ("2026-12-03 10:22:33.12+00") or ISO, as a Date. */
export function parseTimestamp(text: string): Date {
	return new Date(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
}

export interface ValueWords {
	yes: string;
	no: string;
	none: string;
}

/**
 * One stored value as text. The column's name tells the unit: `*_cents` are euro cents,
 * `*_bp` basis points (2000 = 20 %); a uuid is shortened (the full one is in the row's link).
 */
export function formatAuditValue(key: string, value: unknown, locale: ReaderLocale, words: ValueWords): string {
	if (value === null || value === undefined || value === '') return words.none;
	if (typeof value === 'boolean') return value ? words.yes : words.no;
	if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value) && /_(cents|bp)$/.test(key))) {
		const n = Number(value);
		if (key.endsWith('_cents')) return new Intl.NumberFormat(intl[locale], { style: 'currency', currency: 'EUR' }).format(n / 100);
		if (key.endsWith('_bp')) return new Intl.NumberFormat(intl[locale], { style: 'percent', maximumFractionDigits: 2 }).format(n / 10_000);
		return String(n);
	}
	if (typeof value === 'string') {
		if (DAY.test(value)) {
			const [y, mo, d] = value.split('-').map(Number);
			return new Intl.DateTimeFormat(intl[locale], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, d)));
		}
		if (TIMESTAMP.test(value)) {
			const date = parseTimestamp(value);
			if (!Number.isNaN(date.getTime())) return new Intl.DateTimeFormat(intl[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
		}
		if (UUID.test(value)) return `${value.slice(0, 8)}…`;
		return truncate(value);
	}
	return truncate(JSON.stringify(value));
}

function truncate(text: string): string {
	return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];

/** "il y a 3 heures", "2 days ago"; under a minute, "maintenant" / "now". */
export function relativeTime(at: Date, now: Date, locale: ReaderLocale): string {
	const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
	const format = new Intl.RelativeTimeFormat(intl[locale], { numeric: 'auto' });
	for (const [unit, size] of UNITS) {
		if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
	}
	return format.format(0, 'second');
}

export function absoluteTime(at: Date, locale: ReaderLocale): string {
	return new Intl.DateTimeFormat(intl[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** The object's page, for the tables that have one (a line leads to its invoice, a task to its order). */
export function objectHref(entry: Pick<AuditEntry, 'tableName' | 'rowId' | 'before' | 'after'>): string | null {
	const field = (name: string) => {
		const value = entry.after?.[name] ?? entry.before?.[name];
		return typeof value === 'string' && UUID.test(value) ? value : null;
	};
	switch (entry.tableName) {
		case 'orders':
			return `/orders/${entry.rowId}`;
		case 'invoices':
			return `/invoices/${entry.rowId}`;
		case 'invoice_lines': {
			const invoice = field('invoice_id');
			return invoice ? `/invoices/${invoice}` : null;
		}
		case 'tasks': {
			const order = field('order_id');
			return order ? `/orders/${order}` : null;
		}
		default:
			return null;
	}
}
