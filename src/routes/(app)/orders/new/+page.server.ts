import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { validate, type FieldErrors } from '$lib/validation';
import { createOrder, type OrderError, type OrderErrorCode } from '$lib/server/orders/create-order';
import { listActiveServices, listClientAccounts, type ServiceOption } from '$lib/server/orders/list-orders';
import { mayTakeOrders } from '$lib/server/orders/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { currentSite } = await parent();
	if (!currentSite || !mayTakeOrders(locals.user!, currentSite.id)) throw error(403, m.order_error_forbidden());
	const { clients, services } = await locals.db(async (sql) => ({
		clients: await listClientAccounts(sql),
		services: await listActiveServices(sql, currentSite.id, getLocale())
	}));
	return { site: currentSite, clients, services };
};

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const orderForm = z.object({
	siteId: z.guid(),
	clientAccountId: z.guid(),
	deadline: z.iso.date(),
	vehicles: z.string().max(50_000),
	serviceIds: z.array(z.guid()).max(100)
});

export interface LineError {
	line: number;
	message: string;
}

type Words = (service: string) => string;

/** Why a pasted line was refused, worded into "Line 2 (AB-123-CD): …". */
const lineReasons: Partial<Record<OrderErrorCode, () => string>> = {
	invalid: m.order_error_invalid,
	duplicate: m.order_error_duplicate,
	not_found: m.order_error_not_found,
	other_client: m.order_error_other_client
};

/** What is wrong with the order as a whole or with a chosen service. */
const orderMessages: Partial<Record<OrderErrorCode, Words>> = {
	no_vehicles: () => m.order_error_no_vehicles(),
	no_service: () => m.order_error_no_service(),
	unknown_service: (service) => m.order_error_unknown_service({ service }),
	inactive_service: (service) => m.order_error_inactive_service({ service }),
	service_of_other_site: (service) => m.order_error_service_of_other_site({ service }),
	no_price: (service) => m.order_error_no_price({ service }),
	site_not_found: () => m.order_error_site_not_found()
};

/** Words the codes of `createOrder` for the reader: per pasted line, or per field. */
function describe(errors: OrderError[], services: ServiceOption[]): { fields: FieldErrors; lines: LineError[] } {
	const fields: FieldErrors = {};
	const lines: LineError[] = [];
	for (const e of errors) {
		const reason = lineReasons[e.code];
		if (e.line !== null && reason) {
			lines.push({ line: e.line, message: m.order_line_error({ line: e.line, input: e.input ?? '', reason: reason() }) });
			continue;
		}
		const service = services.find((s) => s.id === e.serviceId)?.name ?? e.serviceId ?? '';
		const key = e.field === 'siteId' ? '' : e.field;
		(fields[key] ??= []).push(orderMessages[e.code]?.(service) ?? e.code);
	}
	return { fields, lines };
}

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const values = {
			siteId: String(form.get('siteId') ?? ''),
			clientAccountId: String(form.get('clientAccountId') ?? ''),
			deadline: String(form.get('deadline') ?? ''),
			vehicles: String(form.get('vehicles') ?? ''),
			serviceIds: form.getAll('serviceIds').map(String)
		};
		const parsed = validate(orderForm, values, getLocale());
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors, lines: [] as LineError[] });
		const input = parsed.data;

		let outcome;
		try {
			outcome = await locals.db(async (sql) => {
				const clients = await listClientAccounts(sql);
				if (!clients.some((c) => c.id === input.clientAccountId)) return { clientUnknown: true as const };
				const services = await listActiveServices(sql, input.siteId, getLocale());
				return { services, result: await createOrder(sql, input) };
			});
		} catch (err) {
			// A WITH CHECK policy refusing the order or a task raises; the transaction is rolled back.
			if ((err as { code?: string }).code === '42501') {
				return fail(403, { values, errors: { '': [m.order_error_forbidden()] } as FieldErrors, lines: [] as LineError[] });
			}
			throw err;
		}
		if ('clientUnknown' in outcome) {
			return fail(400, { values, errors: { clientAccountId: [m.order_error_client_not_found()] } as FieldErrors, lines: [] as LineError[] });
		}
		if (!outcome.result.ok) {
			const { fields, lines } = describe(outcome.result.errors, outcome.services);
			return fail(400, { values, errors: fields, lines });
		}
		throw redirect(303, `/orders?created=${encodeURIComponent(outcome.result.reference)}`);
	}
};
