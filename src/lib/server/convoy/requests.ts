import { fail, json, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import { bandIssues, communeSearchSchema, quoteRequestSchema, vehicleCategories, type ConvoyQuote, type ConvoyTariff, type VehicleCategory } from '$lib/domain/convoy/tariff';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Sql } from '$lib/server/db/pool';
import { validate, type FieldErrors } from '$lib/validation';
import { quoteBetweenCommunes, searchCommunes, type CommuneOption } from './service';
import { readConvoyTariff, saveConvoyTariff } from './tariff';

/** What a quote action answers, to the staff page and the portal alike. */
export type QuoteOutcome = {
	category: VehicleCategory;
	from: CommuneOption;
	to: CommuneOption;
	km: number;
	coordinates: [number, number][];
	ms: number;
	quote: ConvoyQuote;
};

type QuoteFailure = { action: 'quote'; values: Record<string, string>; errors: FieldErrors };

/** GET ?q=…: communes for the autocomplete, as JSON. */
export function communeSearchResponse(url: URL): Response {
	const parsed = validate(communeSearchSchema, Object.fromEntries(url.searchParams), getLocale());
	if (!parsed.ok) return json({ errors: parsed.errors }, { status: 400 });
	return json(searchCommunes(parsed.data.q, parsed.data.limit));
}

/**
 * The quote form. Without JavaScript the hidden INSEE fields are empty: the typed name then
 * stands for the best match, which the answer names so the person can check it.
 */
export async function quoteAction(request: Request, db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>): Promise<{ action: 'quote'; outcome: QuoteOutcome } | ActionFailure<QuoteFailure>> {
	const form = await request.formData();
	const values = Object.fromEntries(['from', 'to', 'fromName', 'toName', 'category'].map((k) => [k, String(form.get(k) ?? '').trim()]));
	const bestMatch = (insee: string, typed: string) => insee || (typed ? (searchCommunes(typed, 1)[0]?.insee ?? '') : '');
	const input = { from: bestMatch(values.from, values.fromName), to: bestMatch(values.to, values.toName), category: values.category };
	const parsed = validate(quoteRequestSchema, input, getLocale());
	if (!parsed.ok) {
		const errors: FieldErrors = { ...parsed.errors };
		for (const side of ['from', 'to'] as const) if (errors[side]) errors[side] = [m.convoy_error_pick_commune()];
		return fail(400, { action: 'quote' as const, values, errors });
	}
	const { tariff } = await db(readConvoyTariff);
	const result = quoteBetweenCommunes(parsed.data, tariff);
	if (!result.ok) {
		const errors: FieldErrors =
			result.error === 'no_route' ? { '': [m.convoy_error_no_route()] } : { [result.error === 'unknown_from' ? 'from' : 'to']: [m.convoy_error_unknown_commune()] };
		return fail(400, { action: 'quote' as const, values, errors });
	}
	return {
		action: 'quote',
		outcome: {
			category: parsed.data.category,
			from: result.from,
			to: result.to,
			km: result.route.km,
			coordinates: result.route.coordinates,
			ms: Math.round(result.route.ms * 10) / 10,
			quote: result.quote
		}
	};
}

const euros = z
	.string()
	.trim()
	.transform((text) => text.replace(/\s|€/g, '').replace(',', '.'))
	.refine((text) => /^\d{1,6}(\.\d{1,2})?$/.test(text), { error: () => m.convoy_error_amount() })
	.transform((text) => Math.round(Number(text) * 100));
const percent = z
	.string()
	.trim()
	.transform((text) => (text.replace(/\s|%/g, '') === '' ? NaN : Number(text.replace(/\s|%/g, '').replace(',', '.'))))
	.pipe(z.number().min(0).max(300));

const bandIssueMessages = { open_last_band: m.convoy_error_open_last_band, bounded_band: m.convoy_error_bounded_band, increasing_bands: m.convoy_error_increasing_bands };

const tariffFormSchema = z
	.object({
		bands: z
			.array(
				z.object({
					upToKm: z
						.string()
						.trim()
						.transform((text) => (text === '' ? null : Number(text)))
						.pipe(z.number().int().min(1).max(5000).nullable()),
					rate: euros
				})
			)
			.min(1)
			.max(8),
		minimum: euros,
		surcharge: z.object(Object.fromEntries(vehicleCategories.map((c) => [c, percent])) as Record<VehicleCategory, typeof percent>)
	})
	.superRefine((form, ctx) => {
		for (const { index, issue } of bandIssues(form.bands)) ctx.addIssue({ code: 'custom', path: ['bands', index, 'upToKm'], message: bandIssueMessages[issue]() });
	})
	.transform(
		(form): ConvoyTariff => ({
			bands: form.bands.map((b) => ({ upToKm: b.upToKm, centsPerKm: b.rate })),
			minimumCents: form.minimum,
			surchargePercent: form.surcharge
		})
	);

/** The admins' tariff form: rows left blank are dropped; the database refuses anyone else. */
export async function saveTariffAction(request: Request, db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>) {
	const form = await request.formData();
	const upTo = form.getAll('upToKm').map(String);
	const rates = form.getAll('rate').map(String);
	const bands = upTo.map((upToKm, i) => ({ upToKm, rate: rates[i] ?? '' })).filter((b) => b.rate.trim() !== '' || b.upToKm.trim() !== '');
	const values = {
		bands,
		minimum: String(form.get('minimum') ?? ''),
		surcharge: Object.fromEntries(vehicleCategories.map((c) => [c, String(form.get(`surcharge_${c}`) ?? '')]))
	};
	const parsed = validate(tariffFormSchema, values, getLocale());
	if (!parsed.ok) return fail(400, { action: 'tariff' as const, values, errors: parsed.errors });
	const saved = await db((sql) => saveConvoyTariff(sql, parsed.data));
	if (!saved) return fail(403, { action: 'tariff' as const, values, errors: { '': [m.convoy_error_forbidden()] } });
	return { action: 'tariff' as const, done: m.convoy_tariff_saved() };
}
