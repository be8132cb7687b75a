import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { holdsRoleAt } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { searchAudit } from '$lib/server/audit';
import { listClientAccounts } from '$lib/server/orders/list-orders';
import {
	closePrice,
	createPriceVersion,
	createService,
	listCatalogue,
	listPrices,
	siteToday,
	updateService,
	withdrawPrice,
	zoneKinds,
	type PriceWriteResult
} from '$lib/server/prices/price-list';
import type { Sql } from '$lib/server/db/pool';
import { validate, type FieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Managers of the site and admins: the price policies say the same, and they decide. */
const MANAGERS = ['site_manager', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, parent, depends }) => {
	depends('live:prices', 'live:services');
	const { currentSite } = await parent();
	if (!currentSite || !holdsRoleAt(locals.user!.roles, currentSite.id, MANAGERS)) throw error(403, m.price_forbidden_page());
	return locals.db(async (sql) => {
		const today = (await siteToday(sql, currentSite.id)) ?? '';
		return {
			site: currentSite,
			today,
			services: await listCatalogue(sql, currentSite.id),
			prices: await listPrices(sql, currentSite.id, today),
			clients: await listClientAccounts(sql),
			// The price list's history: who changed which price, when and why (oldest first).
			history: (await searchAudit(sql, { tableName: 'prices', siteId: currentSite.id }, 100)).reverse()
		};
	});
};

const euros = z
	.string()
	.trim()
	.transform((text) => text.replace(/\s|€/g, '').replace(',', '.'))
	.refine((text) => /^\d{1,6}(\.\d{1,2})?$/.test(text), { error: () => m.price_error_amount() })
	.transform((text) => Math.round(Number(text) * 100));
const optionalDate = z
	.string()
	.transform((text) => text.trim() || null)
	.pipe(z.iso.date().nullable());

const schemas = {
	createService: z.object({
		code: z
			.string()
			.trim()
			.transform((c) => c.toUpperCase())
			.pipe(z.string().regex(/^[A-Z0-9_]{2,24}$/, { error: () => m.price_error_code() })),
		nameFr: z.string().trim().min(1).max(120),
		nameEn: z.string().trim().min(1).max(120),
		zoneKind: z.enum(zoneKinds),
		defaultMinutes: z.coerce.number().int().min(1).max(24 * 60)
	}),
	updateService: z.object({
		serviceId: z.guid(),
		nameFr: z.string().trim().min(1).max(120),
		nameEn: z.string().trim().min(1).max(120),
		defaultMinutes: z.coerce.number().int().min(1).max(24 * 60),
		active: z.boolean()
	}),
	createPrice: z.object({
		serviceId: z.guid({ error: () => m.price_error_service() }),
		clientAccountId: z
			.string()
			.transform((id) => id || null)
			.pipe(z.guid({ error: () => m.price_error_client() }).nullable()),
		amount: euros,
		validFrom: z.iso.date(),
		validTo: optionalDate
	}),
	closePrice: z.object({ priceId: z.guid(), lastDay: z.iso.date() }),
	withdrawPrice: z.object({ priceId: z.guid() })
};
type ActionName = keyof typeof schemas;

const writeErrors: Record<Exclude<PriceWriteResult, { ok: true }>['error'], (day: string) => string> = {
	starts_in_past: () => m.price_error_starts_in_past(),
	ends_before_start: () => m.price_error_ends_before_start(),
	later_version_exists: (day) => m.price_error_later_version_exists({ day }),
	already_closed: () => m.price_error_already_closed(),
	closes_in_past: () => m.price_error_closes_in_past(),
	already_applied: () => m.price_error_already_applied(),
	not_found: () => m.price_error_not_found(),
	code_taken: () => m.price_service_code_taken()
};

/**
 * One shape for every action: validate, write in the person's transaction, and answer
 * `{ action, values, errors }` on failure (403 when row-level security refuses the write).
 */
function action<A extends ActionName>(
	name: A,
	write: (sql: Sql, siteId: string, data: z.output<(typeof schemas)[A]>) => Promise<PriceWriteResult>,
	done: (data: z.output<(typeof schemas)[A]>) => string
) {
	return async ({ request, locals }: RequestEvent) => {
		const form = await request.formData();
		const values: Record<string, string | boolean> = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
		if (name === 'updateService') values.active = form.get('active') === 'on';
		const siteId = String(form.get('siteId') ?? '');
		const schema = schemas[name] as unknown as z.ZodType<z.output<(typeof schemas)[A]>>;
		const parsed = validate(schema, values, getLocale());
		const failure = (status: number, errors: FieldErrors) => fail(status, { action: name, id: String(values.priceId ?? values.serviceId ?? ''), values, errors });
		if (!parsed.ok) return failure(400, parsed.errors);
		if (!holdsRoleAt(locals.user!.roles, siteId, MANAGERS)) return failure(403, { '': [m.price_error_forbidden()] });
		try {
			const result = await locals.db((sql) => write(sql, siteId, parsed.data));
			if (!result.ok) return failure(400, { [name === 'createPrice' ? 'validFrom' : '']: [writeErrors[result.error](result.day ?? '')] });
		} catch (err) {
			if ((err as { code?: string }).code === '42501') return failure(403, { '': [m.price_error_forbidden()] });
			throw err;
		}
		return { action: name, done: done(parsed.data) };
	};
}

export const actions: Actions = {
	createService: action('createService', (sql, siteId, d) => createService(sql, { siteId, ...d }), (d) => m.price_service_created({ code: d.code })),
	updateService: action('updateService', (sql, siteId, d) => updateService(sql, { siteId, ...d }), (d) => m.price_service_saved({ code: getLocale() === 'en' ? d.nameEn : d.nameFr })),
	createPrice: action(
		'createPrice',
		(sql, siteId, d) => createPriceVersion(sql, { siteId, ...d, unitPriceCents: d.amount }),
		() => m.price_created()
	),
	closePrice: action('closePrice', (sql, siteId, d) => closePrice(sql, { siteId, ...d }), () => m.price_closed()),
	withdrawPrice: action('withdrawPrice', (sql, siteId, d) => withdrawPrice(sql, { siteId, ...d }), () => m.price_withdrawn())
};
