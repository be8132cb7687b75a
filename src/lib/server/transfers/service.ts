import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import { validate } from '$lib/validation';
import { refusals, TransferError, transferTexts, type Locale } from './errors';

/**
 * A transfer's steps, run as the signed-in user (sql from `withUser`). The database decides who
 * may take which step and records each one (migration 20261203000400); these functions validate
 * the input, pass the step's reason to the trail (`relais.reason`) and word the refusals.
 */

const note = z.string().trim().max(500).optional();
const id = z.guid();

const requestSchema = z.object({
	vehicleId: id,
	toSiteId: id.optional(),
	deliveryAddress: z.string().trim().min(1).max(300).optional(),
	clientAccountId: id.optional(),
	reason: z.string().trim().min(1).max(500)
});
const stepSchema = z.object({ transferId: id, note });
const assignSchema = z.object({ transferId: id, driverId: id, note });
const advanceSchema = z.object({ transferId: id, step: z.enum(['picked_up', 'in_transit', 'delivered']), note });
const cancelSchema = z.object({ transferId: id, reason: z.string().trim().min(1).max(500) });

export type TransferStep = z.infer<typeof advanceSchema>['step'];

function parse<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new TransferError(400, 'invalid', result.errors);
	return result.data;
}

async function because(sql: Sql, why: string | undefined): Promise<void> {
	await sql.query(`select set_config('relais.reason', $1, true)`, [why ?? '']);
}

/** Requests a transfer of a vehicle from the site where it stands, to a site or an address. */
export async function requestTransfer(sql: Sql, input: unknown, locale: Locale): Promise<{ id: string }> {
	const v = parse(requestSchema, input, locale);
	// Either another site or a client's address, never both.
	if (!v.toSiteId === !v.deliveryAddress) throw new TransferError(400, 'invalid', { toSiteId: [transferTexts.destination(locale)] });
	return refusals(locale, async () => {
		await because(sql, v.reason);
		const { rows } = await sql.query<{ id: string }>(
			`insert into public.transfers (organisation_id, vehicle_id, from_site_id, to_site_id, client_account_id, delivery_address, reason, requested_by)
			 select private.organisation_id(), ve.id, ve.site_id, $2, $3, $4, $5, auth.uid()
			 from public.vehicles ve where ve.id = $1
			 returning id`,
			[v.vehicleId, v.toSiteId ?? null, v.clientAccountId ?? null, v.deliveryAddress ?? null, v.reason]
		);
		if (!rows[0]) throw new TransferError(404, 'not_found', { vehicleId: [transferTexts.notFound(locale)] });
		return rows[0];
	});
}

/** One status change; a refusal by row-level security (no row changed) is told apart from absence. */
async function move(sql: Sql, locale: Locale, transferId: string, why: string | undefined, set: string, values: unknown[] = []): Promise<void> {
	await refusals(locale, async () => {
		await because(sql, why);
		const { rowCount } = await sql.query(`update public.transfers set ${set} where id = $1`, [transferId, ...values]);
		if (rowCount) return;
		const { rows } = await sql.query(`select 1 from public.transfers where id = $1`, [transferId]);
		throw rows[0]
			? new TransferError(403, 'forbidden', { '': [transferTexts.forbidden(locale)] })
			: new TransferError(404, 'not_found', { '': [transferTexts.notFound(locale)] });
	});
}

/** The approving site's manager (by the organisation's rule) approves. */
export async function approveTransfer(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(stepSchema, input, locale);
	await move(sql, locale, v.transferId, v.note, `status = 'approved'`);
}

/** A manager of either site assigns (or replaces, before pick-up) a compliant driver. */
export async function assignDriver(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(assignSchema, input, locale);
	await move(sql, locale, v.transferId, v.note, `driver_id = $2, status = 'driver_assigned'`, [v.driverId]);
}

/** The assigned driver: picked up, in transit, delivered. */
export async function advanceTransfer(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(advanceSchema, input, locale);
	await move(sql, locale, v.transferId, v.note, `status = $2::public.transfer_status`, [v.step]);
}

/** The receiving site's staff confirm receipt; the vehicle joins that site's stock. */
export async function receiveTransfer(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(stepSchema, input, locale);
	await move(sql, locale, v.transferId, v.note, `status = 'received'`);
}

/** The requester or a manager cancels before pick-up, saying why. */
export async function cancelTransfer(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(cancelSchema, input, locale);
	await move(sql, locale, v.transferId, v.reason, `status = 'cancelled'`);
}
