import { z } from 'zod';
import { periodFor, type Period } from '$lib/domain/kpi/definitions';
import { addDays } from '$lib/domain/planning/calendar';
import { m } from '$lib/paraglide/messages';
import { validate, type FieldErrors } from '$lib/validation';

/**
 * The dashboard's query string: `period` (today, week, month or custom with `start` and `end`)
 * and `site` (empty: consolidated). The page, its drill-downs and its CSV read the same one, so
 * an export holds what the screen shows. Unlike list filters, a bad value is refused (400 with a
 * message per field), not dropped: a figure for a period nobody asked for would mislead.
 */
export const periodKinds = ['today', 'week', 'month', 'custom'] as const;
export type PeriodKind = (typeof periodKinds)[number];

/** The longest custom period, in days: a year and a leap day. */
export const MAX_DAYS = 366;

type Locale = 'fr' | 'en';

/** The rules, with their messages in `locale`. */
function schemaIn(locale: Locale) {
	const say = { locale };
	const isoDate = z.iso.date();
	return z
		.object({
			period: z.enum(periodKinds, { error: () => m.kpi_error_period({}, say) }).default('week'),
			start: z.string().optional(),
			end: z.string().optional(),
			// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
			site: z.guid({ error: () => m.kpi_error_site({}, say) }).optional()
		})
		.transform((q, ctx) => {
			if (q.period !== 'custom') return { period: q.period, site: q.site };
			const day = (field: 'start' | 'end'): string | undefined => {
				const value = q[field];
				if (value !== undefined && isoDate.safeParse(value).success) return value;
				ctx.addIssue({ code: 'custom', path: [field], message: value === undefined ? m.kpi_error_required({}, say) : m.kpi_error_date({}, say) });
				return undefined;
			};
			const start = day('start');
			const end = day('end');
			if (start === undefined || end === undefined) return z.NEVER;
			if (end < start) ctx.addIssue({ code: 'custom', path: ['end'], message: m.kpi_error_end_before_start({}, say) });
			else if (addDays({ date: start, count: MAX_DAYS - 1 }) < end) ctx.addIssue({ code: 'custom', path: ['end'], message: m.kpi_error_too_long({ days: MAX_DAYS }, say) });
			else return { period: q.period, start, end, site: q.site };
			return z.NEVER;
		});
}

export type KpiQuery = { period: Exclude<PeriodKind, 'custom'>; site?: string } | { period: 'custom'; start: string; end: string; site?: string };

export type ParsedQuery = { ok: true; query: KpiQuery } | { ok: false; errors: FieldErrors };

/** Reads the query string; empty fields count as absent (a GET form sends every field). */
export function parseKpiQuery(params: URLSearchParams, locale: Locale): ParsedQuery {
	const raw = Object.fromEntries(['period', 'start', 'end', 'site'].map((k) => [k, params.get(k) || undefined]));
	const parsed = validate(schemaIn(locale), raw, locale);
	return parsed.ok ? { ok: true, query: parsed.data as KpiQuery } : parsed;
}

/** The days a query covers, `today` being the day in the site's zone. */
export function resolvePeriod(query: KpiQuery, today: string): Period {
	return query.period === 'custom' ? { start: query.start, end: query.end } : periodFor(query.period, today);
}

/** The query back as a string for links ("?period=custom&start=…"), with extra parameters. */
export function kpiQueryString(query: KpiQuery, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams({ period: query.period });
	if (query.period === 'custom') {
		params.set('start', query.start);
		params.set('end', query.end);
	}
	if (query.site) params.set('site', query.site);
	for (const [k, v] of Object.entries(extra)) params.set(k, v);
	return `?${params}`;
}
