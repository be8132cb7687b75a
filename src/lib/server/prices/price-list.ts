import { mayWithdraw, planClose, planNewVersion, type PriceVersionError } from '$lib/domain/orders/price-versions';
import type { Sql } from '$lib/server/db/pool';

/**
 * A site's service catalogue and price list, read and written as the signed-in person: only
 * site managers and admins of the site may write (policy "managers edit prices"); a write
 * anybody else attempts is refused by the database, not here. Every write says why in the audit
 * log (`relais.reason`).
 */

export const zoneKinds = ['reception', 'wash', 'workshop', 'bodywork', 'parking', 'ready'] as const;
export type ZoneKind = (typeof zoneKinds)[number];

export interface CatalogueRow {
	id: string;
	code: string;
	nameFr: string;
	nameEn: string;
	zoneKind: ZoneKind;
	defaultMinutes: number;
	active: boolean;
}

export interface PriceRow {
	id: string;
	serviceId: string;
	clientAccountId: string | null;
	clientName: string | null;
	unitPriceCents: number;
	validFrom: string;
	validTo: string | null;
	status: 'current' | 'future' | 'past';
	mayWithdraw: boolean;
}

export type PriceWriteResult = { ok: true } | { ok: false; error: PriceVersionError | 'not_found' | 'code_taken'; day?: string };

/** The site's calendar day, or null when the person cannot see the site. */
export async function siteToday(sql: Sql, siteId: string): Promise<string | null> {
	const { rows } = await sql.query<{ today: string }>(
		`select (now() at time zone timezone)::date::text as today from public.sites where id = $1`,
		[siteId]
	);
	return rows[0]?.today ?? null;
}

async function because(sql: Sql, reason: string): Promise<void> {
	await sql.query(`select set_config('relais.reason', $1, true)`, [reason]);
}

export async function listCatalogue(sql: Sql, siteId: string): Promise<CatalogueRow[]> {
	const { rows } = await sql.query<CatalogueRow>(
		`select id, code, name_fr as "nameFr", name_en as "nameEn", zone_kind as "zoneKind", default_minutes as "defaultMinutes", active
		 from public.services where site_id = $1 order by active desc, code`,
		[siteId]
	);
	return rows;
}

export async function listPrices(sql: Sql, siteId: string, today: string): Promise<PriceRow[]> {
	const { rows } = await sql.query<Omit<PriceRow, 'status' | 'mayWithdraw'>>(
		`select p.id, p.service_id as "serviceId", p.client_account_id as "clientAccountId", c.name as "clientName",
		        p.unit_price_cents as "unitPriceCents", p.valid_from::text as "validFrom", p.valid_to::text as "validTo"
		 from public.prices p
		 join public.services s on s.id = p.service_id
		 left join public.client_accounts c on c.id = p.client_account_id
		 where p.site_id = $1
		 order by s.code, c.name nulls first, p.valid_from desc`,
		[siteId]
	);
	return rows.map((p) => ({
		...p,
		status: p.validFrom > today ? 'future' : p.validTo !== null && p.validTo < today ? 'past' : 'current',
		mayWithdraw: mayWithdraw(p, today)
	}));
}

export async function createService(
	sql: Sql,
	input: { siteId: string; code: string; nameFr: string; nameEn: string; zoneKind: ZoneKind; defaultMinutes: number }
): Promise<PriceWriteResult> {
	const { rows } = await sql.query(
		`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes)
		 values ($1, $2, $3, $4, $5, $6) on conflict (site_id, code) do nothing returning id`,
		[input.siteId, input.code, input.nameFr, input.nameEn, input.zoneKind, input.defaultMinutes]
	);
	return rows.length ? { ok: true } : { ok: false, error: 'code_taken' };
}

/** The code stays: orders, CSV files and the people who type them know a service by it. */
export async function updateService(
	sql: Sql,
	input: { siteId: string; serviceId: string; nameFr: string; nameEn: string; defaultMinutes: number; active: boolean }
): Promise<PriceWriteResult> {
	const { rowCount } = await sql.query(
		`update public.services set name_fr = $3, name_en = $4, default_minutes = $5, active = $6 where id = $2 and site_id = $1`,
		[input.siteId, input.serviceId, input.nameFr, input.nameEn, input.defaultMinutes, input.active]
	);
	return rowCount ? { ok: true } : { ok: false, error: 'not_found' };
}

/**
 * A new version of a price (service, and client for a negotiated price): the version running
 * on its first day is closed the day before. Locked so two managers cannot interleave.
 */
export async function createPriceVersion(
	sql: Sql,
	input: { siteId: string; serviceId: string; clientAccountId: string | null; unitPriceCents: number; validFrom: string; validTo: string | null }
): Promise<PriceWriteResult> {
	const today = await siteToday(sql, input.siteId);
	if (!today) return { ok: false, error: 'not_found' };
	await sql.query(`select pg_advisory_xact_lock(hashtext('prices:' || $1 || ':' || coalesce($2, '')))`, [input.serviceId, input.clientAccountId]);
	const { rows: versions } = await sql.query<{ id: string; validFrom: string; validTo: string | null }>(
		`select id, valid_from::text as "validFrom", valid_to::text as "validTo" from public.prices
		 where site_id = $1 and service_id = $2 and client_account_id is not distinct from $3`,
		[input.siteId, input.serviceId, input.clientAccountId]
	);
	const plan = planNewVersion({ versions, validFrom: input.validFrom, validTo: input.validTo, today });
	if (!plan.ok) return plan;
	await because(sql, 'Nouvelle version de prix');
	for (const close of plan.close) {
		await sql.query(`update public.prices set valid_to = $2 where id = $1`, [close.id, close.validTo]);
	}
	await sql.query(
		`insert into public.prices (site_id, service_id, client_account_id, unit_price_cents, valid_from, valid_to)
		 values ($1, $2, $3, $4, $5, $6)`,
		[input.siteId, input.serviceId, input.clientAccountId, input.unitPriceCents, input.validFrom, input.validTo]
	);
	return { ok: true };
}

async function findVersion(sql: Sql, siteId: string, priceId: string) {
	const { rows } = await sql.query<{ id: string; validFrom: string; validTo: string | null }>(
		`select id, valid_from::text as "validFrom", valid_to::text as "validTo" from public.prices where id = $1 and site_id = $2 for update`,
		[priceId, siteId]
	);
	return rows[0] ?? null;
}

/** Ends a version on `lastDay` (yesterday at the earliest: what applied stays as it was). */
export async function closePrice(sql: Sql, input: { siteId: string; priceId: string; lastDay: string }): Promise<PriceWriteResult> {
	const today = await siteToday(sql, input.siteId);
	const version = today ? await findVersion(sql, input.siteId, input.priceId) : null;
	if (!today || !version) return { ok: false, error: 'not_found' };
	const plan = planClose({ version, lastDay: input.lastDay, today });
	if (!plan.ok) return plan;
	await because(sql, 'Prix clos');
	// Zero rows when a policy hides the row from this writer: refused, not silently ignored.
	const { rowCount } = await sql.query(`update public.prices set valid_to = $2 where id = $1`, [version.id, input.lastDay]);
	if (!rowCount) throw Object.assign(new Error('price update refused'), { code: '42501' });
	return { ok: true };
}

/** Deletes a version that has never applied (it starts after today). */
export async function withdrawPrice(sql: Sql, input: { siteId: string; priceId: string }): Promise<PriceWriteResult> {
	const today = await siteToday(sql, input.siteId);
	const version = today ? await findVersion(sql, input.siteId, input.priceId) : null;
	if (!today || !version) return { ok: false, error: 'not_found' };
	if (!mayWithdraw(version, today)) return { ok: false, error: 'already_applied' };
	await because(sql, 'Prix à venir retiré');
	const { rowCount } = await sql.query(`delete from public.prices where id = $1`, [version.id]);
	if (!rowCount) throw Object.assign(new Error('price delete refused'), { code: '42501' });
	return { ok: true };
}
