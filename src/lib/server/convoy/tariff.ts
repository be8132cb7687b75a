import { convoyTariffSchema, DEFAULT_CONVOY_TARIFF, type ConvoyTariff } from '$lib/domain/convoy/tariff';
import type { Sql } from '$lib/server/db/pool';

/**
 * The organisation's convoy tariff, kept in organisations.settings.convoy_tariff: everyone of
 * the organisation reads it (staff and client users alike, policy "members read their
 * organisation"); a missing or unreadable one falls back to DEFAULT_CONVOY_TARIFF.
 */
export async function readConvoyTariff(sql: Sql): Promise<{ tariff: ConvoyTariff; isDefault: boolean }> {
	const { rows } = await sql.query<{ tariff: unknown }>(
		`select o.settings -> 'convoy_tariff' as tariff from public.organisations o where o.id = private.organisation_id()`
	);
	const parsed = convoyTariffSchema.safeParse(rows[0]?.tariff);
	return parsed.success ? { tariff: parsed.data, isDefault: false } : { tariff: DEFAULT_CONVOY_TARIFF, isDefault: true };
}

/** Saves the tariff as the person; false when row-level security refuses (only admins update). */
export async function saveConvoyTariff(sql: Sql, tariff: ConvoyTariff): Promise<boolean> {
	const { rowCount } = await sql.query(
		`update public.organisations
		   set settings = jsonb_set(settings, '{convoy_tariff}', $1::jsonb)
		 where id = private.organisation_id()`,
		[JSON.stringify(tariff)]
	);
	return rowCount === 1;
}
