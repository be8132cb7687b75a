import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { decodeCsvBytes } from '$lib/domain/orders/order-csv';
import { validate, type FieldErrors } from '$lib/validation';
import type { Sql } from '$lib/server/db/pool';
import { appPool } from '$lib/server/db';
import { notifyOrderCreated } from '$lib/server/notify/events';
import { createOrder, type OrderError, type OrderErrorCode } from './create-order';

/**
 * The order form's round trip, shared by the back office (`/orders/new`) and the client portal
 * (`/portal/orders/new`): read and validate the posted form (a CSV file included), take the
 * order with `createOrder`, word its errors for the reader. The routes only say which client
 * accounts and sites the person may order for.
 */

export interface LineError {
	line: number;
	/** Where the line comes from: the pasted list or the CSV file. */
	source: 'vehicles' | 'csv';
	message: string;
}

export interface OrderFormValues {
	siteId: string;
	clientAccountId: string;
	deadline: string;
	vehicles: string;
	serviceIds: string[];
	vehicleServices: string;
}

export type OrderFormFailure = { status: 400 | 403; values: OrderFormValues; errors: FieldErrors; lines: LineError[] };
export type OrderFormOutcome = { ok: true; orderId: string; reference: string } | ({ ok: false } & OrderFormFailure);

/** A spreadsheet of a few thousand rows is well under this. */
export const MAX_CSV_BYTES = 1_000_000;

const vehicleServices = z
	.string()
	.max(200_000)
	.transform((text, ctx) => {
		if (!text.trim()) return undefined;
		try {
			return JSON.parse(text) as unknown;
		} catch {
			ctx.addIssue({ code: 'custom', message: m.order_error_grid() });
			return z.NEVER;
		}
	})
	.pipe(z.record(z.string().max(40), z.array(z.guid()).max(100)).optional());

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const orderForm = z.object({
	siteId: z.guid(),
	clientAccountId: z.guid(),
	deadline: z.iso.date(),
	vehicles: z.string().max(50_000),
	serviceIds: z.array(z.guid()).max(100),
	vehicleServices,
	csv: z
		.string()
		.max(MAX_CSV_BYTES, { error: () => m.order_error_csv_too_big() })
		.optional()
});

export async function readOrderForm(form: FormData): Promise<{ values: OrderFormValues; csv?: string; csvTooBig: boolean }> {
	const values: OrderFormValues = {
		siteId: String(form.get('siteId') ?? ''),
		clientAccountId: String(form.get('clientAccountId') ?? ''),
		deadline: String(form.get('deadline') ?? ''),
		vehicles: String(form.get('vehicles') ?? ''),
		serviceIds: form.getAll('serviceIds').map(String),
		vehicleServices: String(form.get('vehicleServices') ?? '')
	};
	const file = form.get('csv');
	if (!(file instanceof File) || file.size === 0) return { values, csvTooBig: false };
	if (file.size > MAX_CSV_BYTES) return { values, csvTooBig: true };
	return { values, csv: decodeCsvBytes(new Uint8Array(await file.arrayBuffer())), csvTooBig: false };
}

/** Why a line was refused, worded into "Ligne 2 (AB-123-CD) : …". */
const lineReasons: Partial<Record<OrderErrorCode, (detail: string) => string>> = {
	invalid: () => m.order_error_invalid(),
	duplicate: () => m.order_error_duplicate(),
	not_found: () => m.order_error_not_found(),
	other_client: () => m.order_error_other_client(),
	unknown_vin: () => m.order_error_unknown_vin(),
	vin_taken: () => m.order_error_vin_taken(),
	invalid_vin: () => m.order_error_invalid_vin(),
	invalid_plate: () => m.order_error_invalid_plate(),
	no_vehicle: () => m.order_error_no_vehicle_ref(),
	invalid_energy: (detail) => m.order_error_invalid_energy({ value: detail }),
	invalid_service_code: (detail) => m.order_error_unknown_service_code({ code: detail }),
	unknown_service_code: (detail) => m.order_error_unknown_service_code({ code: detail }),
	too_long: () => m.order_error_too_long(),
	malformed: () => m.order_error_malformed(),
	no_service: () => m.order_error_line_no_service()
};

/** What is wrong with the order as a whole or with a chosen service. */
const orderMessages: Partial<Record<OrderErrorCode, (service: string) => string>> = {
	no_vehicles: () => m.order_error_no_vehicles(),
	no_service: () => m.order_error_no_service(),
	unknown_service: (service) => m.order_error_unknown_service({ service }),
	inactive_service: (service) => m.order_error_inactive_service({ service }),
	service_of_other_site: (service) => m.order_error_service_of_other_site({ service }),
	no_price: (service) => m.order_error_no_price({ service }),
	site_not_found: () => m.order_error_site_not_found(),
	both_inputs: () => m.order_error_both_inputs(),
	csv_empty: () => m.order_error_csv_empty(),
	csv_no_header: () => m.order_error_csv_no_header(),
	csv_too_many_rows: () => m.order_error_csv_too_many_rows()
};

/** Words the codes of `createOrder` for the reader: per line, or per field. */
export function describeOrderErrors(errors: OrderError[], serviceNames: Map<string, string>): { fields: FieldErrors; lines: LineError[] } {
	const fields: FieldErrors = {};
	const lines: LineError[] = [];
	for (const e of errors) {
		const reason = lineReasons[e.code];
		if (e.line !== null && reason) {
			lines.push({
				line: e.line,
				source: e.field === 'csv' ? 'csv' : 'vehicles',
				message: m.order_line_error({ line: e.line, input: e.input ?? '', reason: reason(e.detail ?? '') })
			});
			continue;
		}
		const service = serviceNames.get(e.serviceId ?? '') ?? e.serviceId ?? '';
		const key = e.field === 'siteId' ? '' : e.field;
		(fields[key] ??= []).push(orderMessages[e.code]?.(service) ?? e.code);
	}
	return { fields, lines };
}

async function serviceNames(sql: Sql, siteId: string): Promise<Map<string, string>> {
	const { rows } = await sql.query<{ id: string; name: string }>(
		`select id, case when $2 = 'en' then name_en else name_fr end as name from public.services where site_id = $1`,
		[siteId, getLocale()]
	);
	return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Validates the form and takes the order in the person's transaction. `allowed` says which
 * client accounts and sites this screen offers (row-level security still decides the writes).
 */
export async function submitOrderForm(input: {
	form: FormData;
	db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;
	allowed: (sql: Sql, order: { siteId: string; clientAccountId: string }) => Promise<'ok' | 'client' | 'site'>;
}): Promise<OrderFormOutcome> {
	const { values, csv, csvTooBig } = await readOrderForm(input.form);
	const failure = (status: 400 | 403, errors: FieldErrors, lines: LineError[] = []): OrderFormOutcome => ({ ok: false, status, values, errors, lines });
	if (csvTooBig) return failure(400, { csv: [m.order_error_csv_too_big()] });
	const parsed = validate(orderForm, { ...values, csv }, getLocale());
	if (!parsed.ok) return failure(400, parsed.errors);
	const { vehicleServices: servicesByVehicle, ...order } = parsed.data;

	try {
		const outcome = await input.db(async (sql): Promise<OrderFormOutcome> => {
			const allowed = await input.allowed(sql, order);
			if (allowed === 'client') return failure(400, { clientAccountId: [m.order_error_client_not_found()] });
			if (allowed === 'site') return failure(400, { siteId: [m.order_error_site_not_offered()] });
			const result = await createOrder(sql, { ...order, servicesByVehicle });
			if (result.ok) return { ok: true, orderId: result.orderId, reference: result.reference };
			const { fields, lines } = describeOrderErrors(result.errors, await serviceNames(sql, order.siteId));
			return failure(400, fields, lines);
		});
		// After the commit, so that whoever is told can already open the order.
		if (outcome.ok) await notifyOrderCreated(await appPool(), { orderId: outcome.orderId });
		return outcome;
	} catch (err) {
		// A WITH CHECK policy refusing a row raises; the transaction is rolled back.
		if ((err as { code?: string }).code === '42501') return failure(403, { '': [m.order_error_forbidden()] });
		throw err;
	}
}
