import { z } from 'zod';
import type { Sql } from '../db/pool';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from '$lib/validation';

/** What a clone may copy, in the order the form lists them (public.clone_site). */
export const CLONE_PARTS = ['catalogue', 'templates', 'teams', 'yard', 'notifications', 'lead_rules'] as const;
export type ClonePart = (typeof CLONE_PARTS)[number];

/**
 * The new site's identity and legal details as the form sends them (strings), checked as the
 * database will: a code of capitals, digits and dashes, a 14-digit SIRET, a French VAT number.
 */
function knownTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

export const cloneSchema = z.object({
	sourceSiteId: z.guid(),
	code: z
		.string()
		.trim()
		.transform((v) => v.toUpperCase())
		.pipe(z.string().regex(/^[A-Z0-9-]{2,12}$/, { error: () => m.site_cl_code_invalid() })),
	name: z.string().trim().min(1).max(200),
	kind: z.enum(['hub', 'dealership']),
	legalName: z.string().trim().min(1).max(200),
	siret: z
		.string()
		.transform((v) => v.replace(/\s/g, ''))
		.pipe(z.string().regex(/^[0-9]{14}$/, { error: () => m.site_cl_siret_invalid() })),
	vatNumber: z
		.string()
		.transform((v) => v.replace(/\s/g, '').toUpperCase())
		.pipe(z.string().regex(/^FR[0-9A-Z]{2}[0-9]{9}$/, { error: () => m.site_cl_vat_invalid() })),
	shareCapitalEur: z.coerce.number().int().min(0).max(1_000_000_000),
	addressLine: z.string().trim().min(1).max(200),
	postcode: z.string().trim().regex(/^[0-9]{5}$/, { error: () => m.site_cl_postcode_invalid() }),
	city: z.string().trim().min(1).max(100),
	latitude: z.coerce.number().min(-90).max(90),
	longitude: z.coerce.number().min(-180).max(180),
	timezone: z.string().trim().min(1).max(64).refine(knownTimeZone, { error: () => m.site_cl_timezone_invalid() }).default('Europe/Paris'),
	capacity: z.coerce.number().int().min(0).max(100_000),
	parts: z.array(z.enum(CLONE_PARTS))
});
export type CloneInput = z.output<typeof cloneSchema>;

export type CloneResult = { ok: true; siteId: string } | { ok: false; status: 400 | 403 | 409; errors: FieldErrors };

type Locale = 'fr' | 'en';
const texts = {
	codeTaken: (l: Locale) => (l === 'fr' ? 'Ce code est déjà celui d’un site de l’organisation.' : 'This code is already used by a site of the organisation.'),
	forbidden: (l: Locale) =>
		l === 'fr' ? 'Seuls un directeur ou un administrateur de l’organisation ouvrent un site.' : 'Only a director or an admin of the organisation opens a site.',
	invalid: (l: Locale) => (l === 'fr' ? 'Valeur refusée.' : 'Value refused.')
};

// The sites table's check constraints, by the form field they concern.
const constraintField: Record<string, string> = {
	sites_code_check: 'code',
	sites_name_check: 'name',
	sites_siret_check: 'siret',
	sites_vat_number_check: 'vatNumber',
	sites_share_capital_cents_check: 'shareCapitalEur',
	sites_latitude_check: 'latitude',
	sites_longitude_check: 'longitude',
	sites_capacity_check: 'capacity'
};

/**
 * Opens a site as a copy of another's configuration, as the signed-in person (the function
 * checks they are a director or an admin). The database's refusals come back worded per field.
 */
export async function cloneSite(sql: Sql, input: CloneInput, locale: Locale): Promise<CloneResult> {
	await sql.query('savepoint clone_site');
	try {
		const { rows } = await sql.query<{ id: string }>(
			`select public.clone_site($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) as id`,
			[
				input.sourceSiteId,
				input.code,
				input.name,
				input.kind,
				input.legalName,
				input.siret,
				input.vatNumber,
				input.shareCapitalEur * 100,
				input.addressLine,
				input.postcode,
				input.city,
				input.latitude,
				input.longitude,
				input.timezone,
				input.capacity,
				input.parts
			]
		);
		await sql.query('release savepoint clone_site');
		return { ok: true, siteId: rows[0].id };
	} catch (err) {
		await sql.query('rollback to savepoint clone_site');
		const e = err as { code?: string; constraint?: string };
		if (e.code === '42501') return { ok: false, status: 403, errors: { '': [texts.forbidden(locale)] } };
		if (e.code === '23505' && e.constraint === 'sites_organisation_id_code_key') return { ok: false, status: 409, errors: { code: [texts.codeTaken(locale)] } };
		if (e.code === '23514' && e.constraint && constraintField[e.constraint]) {
			return { ok: false, status: 400, errors: { [constraintField[e.constraint]]: [texts.invalid(locale)] } };
		}
		throw err;
	}
}

export interface SiteCounts {
	teams: number;
	zones: number;
	bays: number;
	services: number;
	prices: number;
	templates: number;
	leadRules: number;
	leadForms: number;
	settings: number;
}

/** What each site holds of the configuration a clone copies, as far as the reader may see it. */
export async function siteCounts(sql: Sql, siteIds: string[]): Promise<Map<string, SiteCounts>> {
	const { rows } = await sql.query(
		`select s.id,
		   (select count(*) from public.teams t where t.site_id = s.id)::int as teams,
		   (select count(*) from public.yard_zones z where z.site_id = s.id)::int as zones,
		   (select count(*) from public.bays b where b.site_id = s.id)::int as bays,
		   (select count(*) from public.services sv where sv.site_id = s.id)::int as services,
		   (select count(*) from public.prices p where p.site_id = s.id)::int as prices,
		   (select count(*) from public.document_templates d where d.site_id = s.id)::int as templates,
		   (select count(*) from public.lead_rules r where r.site_id = s.id)::int as "leadRules",
		   (select count(*) from public.lead_forms f where f.site_id = s.id)::int as "leadForms",
		   (select count(*) from jsonb_object_keys(s.settings))::int as settings
		 from public.sites s where s.id = any ($1::uuid[])`,
		[siteIds]
	);
	return new Map(rows.map(({ id, ...counts }) => [id as string, counts as SiteCounts]));
}
