import { z } from 'zod';
import { holdsRoleAt, type RoleGrant } from '$lib/domain/roles';
import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import { DOCUMENT_KINDS, type DocumentKind, type Locale, type TemplateTexts } from './model';
import { renderDocument } from './render';
import { sampleDocument } from './samples';
import { issuerOf } from './store';
import { defaultTexts, mergeTexts, TEMPLATE_FIELDS, type TemplateField } from './templates';

/**
 * Editing a site's document templates and logo, as the signed-in manager. The policies on
 * `document_templates` and `sites` let only the site's managers and admins write; a write anybody
 * else attempts is refused by the database, and the checks here only spare them the round trip.
 */

/** Who edits a site's templates and logo: the same roles as the policies. */
export const TEMPLATE_EDITORS = ['site_manager', 'admin'] as const;

export const LOGO_MAX_BYTES = 1024 * 1024;

/** The sites among `sites` where the person may edit templates, in the same order. */
export function managedSites<S extends { id: string }>(roles: RoleGrant[], sites: readonly S[]): S[] {
	return sites.filter((site) => holdsRoleAt(roles, site.id, TEMPLATE_EDITORS));
}

/** The fields a document of `kind` prints, in form order. */
export function fieldsFor(kind: DocumentKind): TemplateField[] {
	return TEMPLATE_FIELDS.filter((field) => field.kinds.includes(kind));
}

const reason = z.string().trim().min(3).max(500);

/** Which template: a site, a kind, a locale. z.guid(): the demo data's ids are not RFC 4122 versioned. */
export const templateKeySchema = z.object({
	site: z.guid(),
	kind: z.enum(DOCUMENT_KINDS),
	locale: z.enum(['fr', 'en'])
});

/** The texts of `kind` as typed: each printed field, bounded by its length; blank is allowed. */
export function textsSchema(kind: DocumentKind) {
	return z.object(Object.fromEntries(fieldsFor(kind).map((field) => [field.key, z.string().trim().max(field.maxLength).default('')])));
}

/** Saving asks why, as every audited change does. */
export function saveSchema(kind: DocumentKind) {
	return textsSchema(kind).extend({ reason });
}

export const resetSchema = z.object({ reason });

/**
 * What is worth storing of the typed texts: blank fields and fields the kind does not print are
 * dropped, and so is a field typed identical to the default, so that a later improvement of the
 * product's wording still reaches the site.
 */
export function overridesFrom(kind: DocumentKind, locale: Locale, typed: Partial<Record<keyof TemplateTexts, string>>): TemplateTexts {
	const defaults = defaultTexts(kind, locale);
	const overrides: TemplateTexts = {};
	for (const { key } of fieldsFor(kind)) {
		const value = typed[key]?.trim();
		if (value && value !== defaults[key].trim()) overrides[key] = value;
	}
	return overrides;
}

export interface StoredTemplate {
	texts: TemplateTexts;
	updatedAt: string;
	updatedBy: string | null;
}

export async function readTemplate(sql: Sql, siteId: string, kind: DocumentKind, locale: Locale): Promise<StoredTemplate | null> {
	const { rows } = await sql.query<StoredTemplate>(
		`select t.texts, t.updated_at::text as "updatedAt", p.full_name as "updatedBy"
		 from public.document_templates t
		 left join public.profiles p on p.id = t.updated_by
		 where t.site_id = $1 and t.kind = $2 and t.locale = $3`,
		[siteId, kind, locale]
	);
	return rows[0] ?? null;
}

/** Which kinds and locales the site has reworded, for the markers on the pickers. */
export async function customisedTemplates(sql: Sql, siteId: string): Promise<{ kind: DocumentKind; locale: Locale }[]> {
	const { rows } = await sql.query<{ kind: DocumentKind; locale: Locale }>(
		`select kind, locale from public.document_templates where site_id = $1 and texts <> '{}'::jsonb`,
		[siteId]
	);
	return rows;
}

interface TemplateKey {
	siteId: string;
	kind: DocumentKind;
	locale: Locale;
	reason: string;
}

async function because(sql: Sql, why: string): Promise<void> {
	await sql.query(`select set_config('relais.reason', $1, true)`, [why]);
}

/**
 * Stores the site's wording; texts that say nothing the defaults do not remove the row instead.
 * Throws the database's 42501 when the person may not write the site's templates.
 */
export async function saveTemplate(sql: Sql, input: TemplateKey & { texts: TemplateTexts }): Promise<'saved' | 'reset'> {
	if (Object.keys(input.texts).length === 0) {
		await resetTemplate(sql, input);
		return 'reset';
	}
	await because(sql, input.reason);
	await sql.query(
		`insert into public.document_templates (site_id, kind, locale, texts)
		 values ($1, $2, $3, $4)
		 on conflict (site_id, kind, locale)
		 do update set texts = excluded.texts, updated_by = auth.uid(), updated_at = now()`,
		[input.siteId, input.kind, input.locale, JSON.stringify(input.texts)]
	);
	return 'saved';
}

/** Back to the product's wording. A delete the policies refuse removes nothing: hence the count. */
export async function resetTemplate(sql: Sql, input: TemplateKey): Promise<boolean> {
	await because(sql, input.reason);
	const { rowCount } = await sql.query(`delete from public.document_templates where site_id = $1 and kind = $2 and locale = $3`, [
		input.siteId,
		input.kind,
		input.locale
	]);
	return (rowCount ?? 0) > 0;
}

export type ImageType = { ext: 'png'; mime: 'image/png' } | { ext: 'jpg'; mime: 'image/jpeg' };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** What the bytes are, from their first bytes: a file's name and declared type prove nothing. */
export function imageTypeOf(bytes: Uint8Array): ImageType | null {
	const starts = (magic: number[]) => bytes.length > magic.length && magic.every((b, i) => bytes[i] === b);
	if (starts(PNG)) return { ext: 'png', mime: 'image/png' };
	if (starts(JPEG)) return { ext: 'jpg', mime: 'image/jpeg' };
	return null;
}

export type LogoRefusal = 'empty' | 'too_large' | 'not_an_image';

export function checkLogo(bytes: Uint8Array): { ok: true; type: ImageType } | { ok: false; error: LogoRefusal } {
	if (bytes.length === 0) return { ok: false, error: 'empty' };
	if (bytes.length > LOGO_MAX_BYTES) return { ok: false, error: 'too_large' };
	const type = imageTypeOf(bytes);
	return type ? { ok: true, type } : { ok: false, error: 'not_an_image' };
}

/** Points the site at `key`; undefined when the policies refused (no row updated), else the key it replaced. */
async function pointLogoAt(sql: Sql, siteId: string, key: string | null): Promise<string | null | undefined> {
	const { rows } = await sql.query<{ previous: string | null }>(
		`update public.sites s set logo_key = $2
		 from public.sites o
		 where o.id = s.id and s.id = $1
		 returning o.logo_key as previous`,
		[siteId, key]
	);
	return rows.length ? rows[0].previous : undefined;
}

interface LogoChange {
	/** Runs queries as the person, in one transaction (`locals.db`). */
	db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;
	store: Storage;
	siteId: string;
}

/**
 * Stores a new logo under a fresh key, then points the site at it as the person. The file is
 * written first so the row never names missing bytes; it is removed again if the row is not
 * updated, and the replaced file once the change is committed (old PDFs embed their own copy).
 */
export async function replaceLogo({ db, store, siteId, bytes }: LogoChange & { bytes: Uint8Array }): Promise<{ ok: true } | { ok: false; error: LogoRefusal | 'forbidden' }> {
	const checked = checkLogo(bytes);
	if (!checked.ok) return checked;
	const key = `logos/${siteId}/${crypto.randomUUID()}.${checked.type.ext}`;
	await store.put(key, bytes, checked.type.mime);
	let previous: string | null | undefined;
	try {
		previous = await db((sql) => pointLogoAt(sql, siteId, key));
	} catch (err) {
		await store.delete(key).catch(() => {});
		throw err;
	}
	if (previous === undefined) {
		await store.delete(key).catch(() => {});
		return { ok: false, error: 'forbidden' };
	}
	if (previous && previous !== key) await forget(store, previous);
	return { ok: true };
}

export async function removeLogo({ db, store, siteId }: LogoChange): Promise<{ ok: true } | { ok: false; error: 'forbidden' }> {
	const previous = await db((sql) => pointLogoAt(sql, siteId, null));
	if (previous === undefined) return { ok: false, error: 'forbidden' };
	if (previous) await forget(store, previous);
	return { ok: true };
}

/** A file nobody points at any more; failing to remove it only leaves a few bytes behind. */
async function forget(store: Storage, key: string): Promise<void> {
	await store.delete(key).catch((err: Error) => console.error(`[documents] could not remove old logo ${key}: ${err.message}`));
}

/** The site's logo key, if the person can see the site. */
export async function logoKeyOf(sql: Sql, siteId: string): Promise<string | null> {
	const { rows } = await sql.query<{ logoKey: string | null }>(`select logo_key as "logoKey" from public.sites where id = $1`, [siteId]);
	return rows[0]?.logoKey ?? null;
}

/**
 * The sample document of `kind` as the site would print it with `texts` (the admin's draft, not
 * what is stored), as a PDF; null when the person cannot see the site. (A logo the PDF library
 * cannot decode is left out by the renderer, so a bad upload never breaks the documents.)
 */
export async function previewDocument(
	sql: Sql,
	store: Storage,
	input: { site: { id: string; code: string }; kind: DocumentKind; locale: Locale; texts: TemplateTexts }
): Promise<Uint8Array | null> {
	const issuer = await issuerOf(sql, store, input.site.id);
	if (!issuer) return null;
	const { rows } = await sql.query<{ today: string }>(`select (now() at time zone timezone)::date::text as today from public.sites where id = $1`, [
		input.site.id
	]);
	return renderDocument(
		sampleDocument({
			kind: input.kind,
			locale: input.locale,
			issuer,
			siteCode: input.site.code,
			today: rows[0].today,
			texts: mergeTexts(input.kind, input.locale, input.texts)
		})
	);
}
